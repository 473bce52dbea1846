import "server-only";
import { randomUUID } from "node:crypto";
import { stackTags } from "@/lib/names";
import {
  createDiscoveryService,
  createPrivateNamespace,
  deleteDiscoveryService,
  deleteNamespace,
  findPrivateNamespace,
  findService,
  getOperation,
  type NamespaceSummary,
  type ServiceSummary,
} from "@/server/aws/servicediscovery";
import { defineResource, diffOf, ref, TerminalError, valueChange, type StackContext } from "../types";

// The worker's path to the Prefect API (docs/provisioning.md, "The worker's path"): an AWS Cloud Map private DNS
// namespace `prefect-<env>.local` in the stack's VPC and a service `prefect-server` in it. The server's ECS service
// registers each task's IP there (serviceRegistries), so the worker calls
// http://prefect-server.prefect-<env>.local:4200/api inside the VPC, whatever the load balancer's scheme or TLS.

/** A-record TTL: short, so a replaced server task is found within seconds. */
export const DISCOVERY_TTL_SECONDS = 10;

interface NamespaceDesired {
  Name: string;
  Vpc: string;
  Description: string;
  Tags: Record<string, string>;
}

/**
 * Namespace creation and deletion are asynchronous in Cloud Map: wait for the operation (seconds on AWS), so the
 * next observe finds the namespace. FAIL is terminal with AWS's reason.
 */
async function waitOperation(ctx: StackContext, id: string, target: string, sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))) {
  for (let i = 0; i < 150; i++) {
    const op = await getOperation(ctx.region, id, target);
    if (op?.Status === "SUCCESS") return;
    if (op?.Status === "FAIL")
      throw new TerminalError(
        `Cloud Map could not ${op.Type === "DELETE_NAMESPACE" ? "delete" : "create"} ${target}: ${op.ErrorMessage ?? op.ErrorCode ?? "no reason given"}`,
      );
    await sleep(Math.min(2_000, 200 * 2 ** i));
  }
  throw new TerminalError(`Cloud Map operation on ${target} did not finish within 5 minutes`);
}

export const discoveryNamespace = defineResource<NamespaceDesired, NamespaceSummary>({
  key: "dns-namespace",
  kind: "Cloud Map namespace",
  group: "network",
  dependsOn: [],
  name: (ctx) => ctx.names.discoveryNamespace,
  desired: (ctx) => ({
    Name: ctx.names.discoveryNamespace,
    Vpc: ctx.spec.vpcId,
    Description: `Prefect ${ctx.env}: the worker finds the server here`,
    Tags: stackTags(ctx.env, "service-discovery"),
  }),
  observe: (ctx) => findPrivateNamespace(ctx.region, ctx.names.discoveryNamespace),
  // A namespace has nothing the spec can change (the stack's VPC is fixed).
  diff: () => diffOf([]),
  create: async (ctx, d) => {
    const op = await createPrivateNamespace(ctx.region, {
      name: d.Name,
      vpcId: d.Vpc,
      description: d.Description,
      tags: d.Tags,
      requestId: randomUUID(),
    });
    await waitOperation(ctx, op, d.Name);
  },
  update: async () => {},
  delete: async (ctx, o) => {
    const op = await deleteNamespace(ctx.region, o.Id ?? "", o.Name ?? ctx.names.discoveryNamespace);
    if (op) await waitOperation(ctx, op, o.Name ?? ctx.names.discoveryNamespace);
  },
  ready: () => true,
  outputs: (o) => ({ id: o.Id ?? "", arn: o.Arn ?? "", name: o.Name ?? "" }),
});

interface ServiceDesired {
  Name: string;
  NamespaceId: string;
  TTL: number;
  Tags: Record<string, string>;
}

async function observeService(ctx: StackContext): Promise<ServiceSummary | undefined> {
  const ns = await findPrivateNamespace(ctx.region, ctx.names.discoveryNamespace);
  return ns?.Id ? findService(ctx.region, ns.Id, ctx.names.discoveryService) : undefined;
}

export const discoveryService = defineResource<ServiceDesired, ServiceSummary>({
  key: "dns-service",
  kind: "Cloud Map service",
  group: "network",
  dependsOn: ["dns-namespace"],
  name: (ctx) => `${ctx.names.discoveryService}.${ctx.names.discoveryNamespace}`,
  desired: (ctx, refs) => ({
    Name: ctx.names.discoveryService,
    NamespaceId: ref(refs, "dns-namespace", "id"),
    TTL: DISCOVERY_TTL_SECONDS,
    Tags: stackTags(ctx.env, "service-discovery"),
  }),
  observe: observeService,
  // Shown, not changed: the console never alters the record's TTL (a replace would break the server's registry).
  diff: (d, o) => {
    const ttl = o.DnsConfig?.DnsRecords?.[0]?.TTL;
    const changed = valueChange("DNS TTL (s)", d.TTL, ttl);
    return changed && ttl !== undefined
      ? { action: "noop", changes: [], notes: [`The Cloud Map record's TTL is ${ttl} s (the console creates it with ${d.TTL} s).`] }
      : diffOf([]);
  },
  create: async (ctx, d) => {
    if (await observeService(ctx)) return;
    await createDiscoveryService(ctx.region, {
      name: d.Name,
      namespaceId: d.NamespaceId,
      ttl: d.TTL,
      tags: d.Tags,
      requestId: randomUUID(),
    });
  },
  update: async () => {},
  delete: (ctx, o) =>
    deleteDiscoveryService(ctx.region, o.Id ?? "", `${o.Name ?? ctx.names.discoveryService}.${ctx.names.discoveryNamespace}`),
  ready: () => true,
  outputs: (o) => ({ id: o.Id ?? "", arn: o.Arn ?? "" }),
});
