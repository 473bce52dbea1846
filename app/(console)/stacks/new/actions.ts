"use server";
import { z } from "zod";
import { ENV_NAME_PATTERN } from "@/lib/names";
import { REGIONS, stackSpecSchema } from "@/lib/stack-spec";
import { defineAction } from "@/server/actions/define-action";
import { accountPreflight } from "@/server/stack/account-preflight";
import { discoverStack } from "@/server/stack/adopt";
import { listSubnets, listVpcs } from "@/server/stack/network";
import { previewApply, startApply } from "@/server/stack/service";

// The provisioning form's actions. Reads (network pickers, plan preview, adopt discovery) are not audited;
// starting an apply is. The spec is parsed by the same zod schema the form uses, before any AWS call.

const mode = z.enum(["new", "edit", "adopt"]);

export const loadNetwork = defineAction({
  name: "stack.network",
  role: "viewer",
  audit: false,
  input: z
    .object({
      region: z.enum(REGIONS),
      vpcId: z
        .string()
        .regex(/^vpc-[0-9a-f]{8,17}$/)
        .optional(),
    })
    .strict(),
  target: (i) => `region:${i.region}`,
  run: async (input) => ({ vpcs: await listVpcs(input.region), subnets: input.vpcId ? await listSubnets(input.region, input.vpcId) : [] }),
});

export const planStack = defineAction({
  name: "stack.plan",
  role: "operator",
  audit: false,
  input: z.object({ spec: stackSpecSchema, mode }).strict(),
  target: (i) => `stack:${i.spec.env}`,
  run: async (input, { db }) => previewApply(db, input.spec, input.mode),
});

/** The account preflight on the new-stack page: service-linked roles, free names, egress, certificate (reads only). */
export const preflightStack = defineAction({
  name: "stack.preflight",
  role: "operator",
  audit: false,
  input: z.object({ spec: stackSpecSchema }).strict(),
  target: (i) => `stack:${i.spec.env}`,
  run: async (input) => accountPreflight(input.spec),
});

export const applyStack = defineAction({
  name: "stack.apply",
  role: "operator",
  input: z.object({ spec: stackSpecSchema, mode }).strict(),
  target: (i) => `stack:${i.spec.env}`,
  refresh: () => ({ paths: ["/stacks"] }),
  async run(input, { db, user }) {
    const r = await startApply(db, input.spec, user, { isNew: input.mode !== "edit", adopted: input.mode === "adopt" });
    return { runId: r.runId, env: input.spec.env };
  },
});

export const discoverExisting = defineAction({
  name: "stack.discover",
  role: "operator",
  audit: false,
  input: z
    .object({
      env: z.string().regex(ENV_NAME_PATTERN, { error: "Use the environment name the Terraform stack was made with (e.g. production)" }),
      region: z.enum(REGIONS),
    })
    .strict(),
  target: (i) => `stack:${i.env}`,
  run: async (input) => discoverStack(input.env, input.region),
});
