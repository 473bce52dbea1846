import "server-only";
import type { Service } from "@aws-sdk/client-ecs";
import { stackNames, type StackNames } from "@/lib/names";
import { describeServices } from "@/server/aws/ecs";
import type { Db } from "@/server/db";
import { NotFoundError, UserError } from "@/server/errors";
import { getStack } from "@/server/stack/registry";
import { assertNoRunInProgress } from "./run-guard";
import type { ServiceRole } from "@/lib/ops/types";

// The prologue every operation shares: find the stack (registered, not destroyed, no run in progress), its names,
// and — for a service operation — the service as ECS describes it now.

export interface OpsStack {
  env: string;
  region: string;
  names: StackNames;
}

export interface OpsService extends OpsStack {
  /** The ECS service name (prefect-server / prefect-worker). */
  name: string;
  service: Service;
}

/** The stack an operation acts on: registered, not destroyed, and no provisioning run in progress. */
export async function opsStack(db: Db, env: string): Promise<OpsStack> {
  const stack = await getStack(db, env);
  if (!stack || stack.status === "destroyed") throw new NotFoundError(`There is no stack named ${env}.`);
  if (stack.status === "destroying") throw new UserError(`${env} is being destroyed.`);
  await assertNoRunInProgress(db, env);
  return { env, region: stack.region, names: stackNames(env) };
}

// aws ecs describe-services --cluster prefect-<env> --services prefect-<role>
/** One of the stack's services, guarded like opsStack; refused when ECS does not know it. */
export async function opsService(db: Db, env: string, role: ServiceRole): Promise<OpsService> {
  const stack = await opsStack(db, env);
  const name = serviceNameOf(env, role);
  const { services } = await describeServices(stack.region, stack.names.cluster, [name]);
  const service = services[0];
  if (!service) throw new NotFoundError(`The service ${name} does not exist in ${stack.names.cluster}.`);
  return { ...stack, name, service };
}

export function serviceNameOf(env: string, role: ServiceRole): string {
  const n = stackNames(env);
  return role === "server" ? n.serverService : n.workerService;
}
