import "server-only";
import { stackNames } from "@/lib/names";
import { UserError } from "@/server/actions/errors";
import type { Db } from "@/server/db";
import { getStack, type StackRecord } from "@/server/stacks/registry";
import { assertNoRunInProgress } from "./run-guard";
import type { ServiceRole } from "@/lib/ops/types";

/** The stack an operation acts on: registered, not destroyed, and no provisioning run in progress. */
export async function opsStack(db: Db, env: string): Promise<StackRecord> {
  const stack = await getStack(db, env);
  if (!stack || stack.status === "destroyed") throw new UserError(`There is no stack named ${env}.`);
  if (stack.status === "destroying") throw new UserError(`${env} is being destroyed.`);
  await assertNoRunInProgress(db, env);
  return stack;
}

export function serviceNameOf(env: string, role: ServiceRole): string {
  const n = stackNames(env);
  return role === "server" ? n.serverService : n.workerService;
}
