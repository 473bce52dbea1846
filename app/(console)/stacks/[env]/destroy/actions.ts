"use server";
import { z } from "zod";
import { ENV_NAME_PATTERN } from "@/lib/names";
import { defineAction } from "@/server/actions/define-action";
import { startDestroy } from "@/server/stack/service";

export const destroyStack = defineAction({
  name: "stack.destroy",
  role: "operator",
  input: z
    .object({ env: z.string().regex(ENV_NAME_PATTERN), confirm: z.string() })
    .strict()
    .refine((i) => i.confirm === i.env, { path: ["confirm"], error: "Type the environment name exactly to confirm" }),
  target: (i) => `stack:${i.env}`,
  refresh: () => ({ paths: ["/stacks"] }),
  async run(input, { db, user }) {
    const r = await startDestroy(db, input.env, user);
    return { runId: r.runId, env: input.env };
  },
});
