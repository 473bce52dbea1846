import "server-only";
import { estimateCost } from "@/lib/cost";
import type { Plan, PlanAction, PlanItem } from "@/lib/plan";
import { redactCredentials } from "@/lib/redact";
import type { StackSpec } from "@/lib/stack-spec";
import { UserError } from "@/server/errors";
import { mapLimit } from "@/server/map-limit";
import { buildGraph, stackContext, topoOrder, type GraphNode } from "./graph";
import { preflightSpec } from "./preflight-network";
import { NEW_REVISION, type Diff, type Outputs, type Refs, type StackContext } from "./types";

// Observe every resource of the stack (in parallel, found by name), compute what it should be, and decide per
// resource: create / update (fields) / replace / delete / no-op. Nothing is changed here: only describe calls.

const OBSERVE_CONCURRENCY = 8;

export interface Observed {
  node: GraphNode;
  observed: unknown;
}

export async function observeAll(ctx: StackContext, nodes: GraphNode[]): Promise<Observed[]> {
  return mapLimit(nodes, OBSERVE_CONCURRENCY, async (node) => ({ node, observed: await node.resource.observe(ctx) }));
}

/** Plans are stored in run rows and shown in the browser: no value with credentials in it (lib/redact.ts). */
function redactItem(item: PlanItem): PlanItem {
  return {
    ...item,
    changes: item.changes.map((c) => ({
      field: c.field,
      ...(c.from !== undefined ? { from: redactCredentials(c.from) } : {}),
      ...(c.to !== undefined ? { to: redactCredentials(c.to) } : {}),
    })),
    notes: item.notes.map(redactCredentials),
  };
}

function countActions(items: PlanItem[]): Record<PlanAction, number> {
  const counts: Record<PlanAction, number> = { noop: 0, create: 0, update: 0, replace: 0, delete: 0 };
  for (const i of items) counts[i.action] += 1;
  return counts;
}

/** The apply plan: what it takes to bring AWS to the spec. */
export async function planApply(spec: StackSpec, ctxIn?: StackContext): Promise<Plan> {
  const ctx = ctxIn ?? (await stackContext(spec));
  const nodes = buildGraph(spec);
  const observed = await observeAll(ctx, nodes);
  const refs: Refs = {};
  for (const { node, observed: o } of observed) if (o !== undefined) refs[node.resource.key] = node.resource.outputs(o) as Outputs;
  // Decide in dependency order, so a dependant sees what its dependencies' changes will do to their outputs.
  const order = topoOrder(nodes.map((n) => ({ key: n.resource.key, deps: n.deps })));
  const byKey = new Map(observed.map((x) => [x.node.resource.key, x]));
  const decided = new Map<string, PlanItem>();
  for (const key of order) {
    const { node, observed: o } = byKey.get(key)!;
    const r = node.resource;
    const base = { key: r.key, kind: r.kind, group: r.group, name: r.name(ctx), deps: node.deps };
    let item: PlanItem;
    if (o === undefined) item = { ...base, action: "create", changes: [], notes: [], current: "" };
    else {
      const diff: Diff = r.diff(r.desired(ctx, refs), o, ctx);
      item = { ...base, action: diff.action, changes: diff.changes, notes: diff.notes ?? [], current: r.status?.(o) ?? "exists" };
    }
    if (item.action === "replace") delete refs[key];
    if (item.action === "update" && r.outputsChangedByUpdate && refs[key])
      refs[key] = { ...refs[key], ...Object.fromEntries(r.outputsChangedByUpdate.map((f) => [f, NEW_REVISION])) };
    decided.set(key, redactItem(item));
  }
  const items = observed.map(({ node }) => decided.get(node.resource.key)!);
  return {
    env: spec.env,
    region: spec.region,
    kind: "apply",
    items,
    counts: countActions(items),
    cost: estimateCost(spec),
    blockers: [],
    createdAt: Date.now(),
  };
}

/** The destroy plan: every resource of the stack that exists, deleted in reverse dependency order. */
export async function planDestroy(spec: StackSpec, ctxIn?: StackContext): Promise<Plan> {
  const ctx = ctxIn ?? (await stackContext(spec));
  const nodes = buildGraph(spec);
  const observed = await observeAll(ctx, nodes);
  const blockers: string[] = [];
  const items = observed.map(({ node, observed: o }): PlanItem => {
    const r = node.resource;
    const notes: string[] = [];
    if (r.key === "rds" && o) {
      const db = o as { DeletionProtection?: boolean };
      if (db.DeletionProtection)
        blockers.push(
          `Deletion protection is on for the database ${ctx.names.dbInstance}. Edit the spec, turn off "Deletion protection", apply, then destroy.`,
        );
      notes.push(`A final snapshot ${ctx.names.dbInstance}-final is kept; restore it to get the data back.`);
    }
    if (r.key === "work-pools") notes.push("Work pools live in Prefect's database and go with it.");
    return {
      key: r.key,
      kind: r.kind,
      group: r.group,
      name: r.name(ctx),
      deps: node.deps,
      action: o === undefined || r.key === "work-pools" ? "noop" : "delete",
      changes: [],
      notes,
      current: o === undefined ? "" : (r.status?.(o) ?? "exists"),
    };
  });
  return {
    env: spec.env,
    region: spec.region,
    kind: "destroy",
    items,
    counts: countActions(items),
    cost: estimateCost(spec),
    blockers,
    createdAt: Date.now(),
  };
}

/**
 * Checks the spec against the account before planning (preflight-network.ts): subnets, egress or the NAT option,
 * public subnets for an internet-facing ALB and for NAT gateways, the certificate. Read calls only; field messages.
 */
export async function validateNetwork(spec: StackSpec): Promise<void> {
  const fieldErrors = await preflightSpec(spec).catch((err: unknown) => {
    if (/NotFound/.test(String((err as Error).message)))
      throw new UserError("Some subnets do not exist in this region.", {
        privateSubnetIds: ["One or more subnets do not exist in this region; pick them again."],
      });
    throw err;
  });
  if (Object.keys(fieldErrors).length) {
    const egress = fieldErrors.natGateways?.length && fieldErrors.privateSubnetIds?.some((m) => m.startsWith("No way out"));
    throw new UserError(
      egress
        ? "The private subnets have no way out to the internet: the stack's tasks could not start there."
        : "The network choice needs attention.",
      fieldErrors,
    );
  }
}
