// The contract between the proxy server and its per-service rewriters.
import type { MotoClients } from "../clients";
import type { LocalPostgres } from "../postgres";
import type { Principal } from "./authorization";
import type { World } from "../world";
import type { AwsRequest, ErrorResponse } from "./protocol";

export interface MotoAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface ProxyCall {
  req: AwsRequest;
  /** The request body forwarded to moto; a `before` hook may replace it. */
  body: Buffer;
  /** Scratch space for a before hook to pass to its after hook. */
  memo: Record<string, unknown>;
  now: number;
}

/** Simulator entry points the proxy may need synchronously with a product call. */
export interface SimulatorHooks {
  /** UpdateService just changed the task definition or forced a new deployment. */
  onServiceUpdated(clusterName: string, serviceName: string, taskDefinition: string | undefined, force: boolean): void;
  /**
   * RunTask just created these moto tasks (raw JSON from moto's answer); `networkConfiguration` is the request's
   * awsvpc configuration (moto does not echo it).
   */
  onTasksStarted(tasks: Record<string, unknown>[], networkConfiguration?: unknown): Promise<void>;
  /** StopTask through the proxy. */
  onTaskStopped(taskArn: string, reason: string): void;
}

export interface ProxyEnv {
  world: World;
  moto: MotoClients;
  sim: SimulatorHooks;
  /** Access key id → principal whose requests are evaluated against its IAM policies (the console's user). */
  principals?: Map<string, Principal>;
  /** The PostgreSQL behind RDS (absent when it could not start). */
  postgres?: LocalPostgres;
}

export interface Rewriter {
  /** Before forwarding: may rewrite call.body, or answer directly (moto is then not called). */
  before?(env: ProxyEnv, call: ProxyCall): Promise<ErrorResponse | void> | ErrorResponse | void;
  /** After moto answered: may rewrite the answer. */
  after?(env: ProxyEnv, call: ProxyCall, res: MotoAnswer): Promise<MotoAnswer> | MotoAnswer;
}

/** Keyed by `${service}:${operation}`. */
export type RewriterTable = Record<string, Rewriter>;
