import "server-only";
import { stackNames } from "@/lib/names";
import type { StackSpec } from "@/lib/stack-spec";
import { callerIdentity } from "@/server/aws/sts";
import { alarms } from "./resources/alarms";
import { dbInstance, dbSubnetGroup } from "./resources/database";
import { dnsRecord } from "./resources/dns-record";
import { executionRole, flowRunExecutionRole, flowRunTaskRole, taskRole, workerRole } from "./resources/iam-roles";
import { listeners, loadBalancer, targetGroup } from "./resources/load-balancer";
import { natEips, natGateways, natRoutes } from "./resources/nat-gateway";
import { cluster, logGroup } from "./resources/platform";
import { workerScaling } from "./resources/scaling";
import { apiAuthSecret, dbPasswordSecret, dbUrlSecret } from "./resources/secrets";
import { albSecurityGroup, rdsSecurityGroup, tasksSecurityGroup } from "./resources/security-groups";
import { discoveryNamespace, discoveryService } from "./resources/service-discovery";
import { serverService, workerService } from "./resources/services";
import { serverTaskDef, workerTaskDef } from "./resources/task-definitions";
import { workPools } from "./resources/work-pools";
import { TerminalError, type AnyResource, type StackContext } from "./types";

// StackSpec → the resources it needs and the edges between them. The order of this list is the seed's order
// (what a sequential script would do); apply does not follow it, it follows the edges.

export const ALL_RESOURCES: readonly AnyResource[] = [
  dbPasswordSecret,
  apiAuthSecret,
  albSecurityGroup,
  tasksSecurityGroup,
  rdsSecurityGroup,
  natEips,
  natGateways,
  natRoutes,
  discoveryNamespace,
  discoveryService,
  dbSubnetGroup,
  dbInstance,
  dbUrlSecret,
  cluster,
  executionRole,
  taskRole,
  workerRole,
  flowRunExecutionRole,
  flowRunTaskRole,
  logGroup,
  loadBalancer,
  targetGroup,
  listeners,
  dnsRecord,
  serverTaskDef,
  workerTaskDef,
  serverService,
  workerService,
  workerScaling,
  alarms,
  workPools,
];

export interface GraphNode {
  resource: AnyResource;
  /** Dependencies present in this stack (edges to disabled resources are dropped). */
  deps: string[];
}

export function buildGraph(spec: StackSpec, resources: readonly AnyResource[] = ALL_RESOURCES): GraphNode[] {
  const enabled = resources.filter((r) => r.enabled?.(spec) ?? true);
  const keys = new Set(enabled.map((r) => r.key));
  const nodes = enabled.map((r) => ({ resource: r, deps: r.dependsOn.filter((d) => keys.has(d)) }));
  topoOrder(nodes.map((n) => ({ key: n.resource.key, deps: n.deps })));
  return nodes;
}

/** Kahn's algorithm; throws on a cycle (a programming error in the resource modules). */
export function topoOrder(nodes: { key: string; deps: string[] }[]): string[] {
  const indeg = new Map(nodes.map((n) => [n.key, n.deps.length]));
  const out: string[] = [];
  const queue = nodes.filter((n) => n.deps.length === 0).map((n) => n.key);
  while (queue.length) {
    const k = queue.shift()!;
    out.push(k);
    for (const n of nodes)
      if (n.deps.includes(k)) {
        const d = (indeg.get(n.key) ?? 0) - 1;
        indeg.set(n.key, d);
        if (d === 0) queue.push(n.key);
      }
  }
  if (out.length !== nodes.length)
    throw new Error(
      `dependency cycle among ${nodes
        .filter((n) => !out.includes(n.key))
        .map((n) => n.key)
        .join(", ")}`,
    );
  return out;
}

/** Reverse edges for destroy: a resource is deleted only after everything that depends on it is gone. */
export function reverseDeps(nodes: { key: string; deps: string[] }[]): Map<string, string[]> {
  const rev = new Map<string, string[]>(nodes.map((n) => [n.key, []]));
  for (const n of nodes) for (const d of n.deps) rev.get(d)?.push(n.key);
  return rev;
}

/** The context every resource call gets: names from the env, the account id for ARNs in IAM policies. */
export async function stackContext(spec: StackSpec): Promise<StackContext> {
  const id = await callerIdentity(spec.region);
  if (!id.ok) throw new TerminalError(id.message);
  return {
    env: spec.env,
    region: spec.region,
    spec,
    names: stackNames(spec.env),
    account: id.account,
    partition: id.arn.split(":")[1] ?? "aws",
  };
}
