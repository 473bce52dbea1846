import "server-only";
import { randomUUID } from "node:crypto";
import type { Address, NatGateway, RouteTable } from "@aws-sdk/client-ec2";
import { STACK_TAG, stackTags } from "@/lib/names";
import type { StackSpec } from "@/lib/stack-spec";
import {
  allocateAddress,
  createNatGateway,
  createNatRoute,
  deleteDefaultRoute,
  deleteNatGateway,
  describeRouteTables,
  describeSubnetsById,
  findAddressesByTag,
  findNatGatewaysByTag,
  releaseAddress,
  replaceNatRoute,
} from "@/server/aws/ec2";
import { defineResource, ref, TerminalError, UNKNOWN, type Diff, type StackContext } from "../types";
import { defaultRoute, routeTableOf } from "../egress";

// The NAT option (spec.natGateways): private subnets without egress get it from the stack. Three resources, so apply
// and destroy follow AWS's order through the graph's edges:
//   nat-eips (Elastic IPs) → nat-gateways (one shared, or one per chosen public subnet) → nat-routes (0.0.0.0/0 in
//   the private subnets' route tables) → the ECS services.
// Destroy runs the edges backwards: routes first, then the NAT gateways (waited until `deleted`), then the Elastic
// IPs are released (AWS refuses to release an address a NAT gateway still holds).
// Found by the stack tag plus a `prefect-console:nat-subnet` tag naming the public subnet each one belongs to.

const NAT_SUBNET_TAG = "prefect-console:nat-subnet";
const COMPONENT = "nat";

const enabled = (spec: StackSpec) => (spec.natGateways ?? "none") !== "none";

/** The public subnets that get a NAT gateway: the first one (shared), or every chosen one (one per AZ). */
export function natSubnets(spec: Pick<StackSpec, "natGateways" | "publicSubnetIds">): string[] {
  const sorted = [...spec.publicSubnetIds].sort();
  if (spec.natGateways === "single") return sorted.slice(0, 1);
  if (spec.natGateways === "per-az") return sorted;
  return [];
}

const natName = (env: string, subnetId: string) => `prefect-nat-${env}-${subnetId.replace(/^subnet-/, "")}`;
const tagOf = (tags: { Key?: string; Value?: string }[] | undefined, key: string) => tags?.find((t) => t.Key === key)?.Value;
/** This stack's NAT pieces. The tag filter is asked of AWS and checked again here (moto ignores it on NAT gateways). */
const oursIn = (env: string) => (tags: { Key?: string; Value?: string }[] | undefined) =>
  tagOf(tags, "Component") === COMPONENT && tagOf(tags, STACK_TAG) === env;

// ── Elastic IPs ─────────────────────────────────────────────────────────────────────────────────────────────────

interface EipsDesired {
  addresses: { subnetId: string; name: string }[];
  tags: Record<string, string>;
}
type EipsObserved = Address[];

async function observeEips(ctx: StackContext): Promise<EipsObserved | undefined> {
  const found = (await findAddressesByTag(ctx.region, STACK_TAG, ctx.env)).filter((a) => oursIn(ctx.env)(a.Tags));
  return found.length ? found : undefined;
}

const missingSubnets = (want: string[], have: (string | undefined)[]) => want.filter((s) => !have.includes(s));

export const natEips = defineResource<EipsDesired, EipsObserved>({
  key: "nat-eips",
  kind: "Elastic IPs (NAT)",
  group: "network",
  dependsOn: [],
  enabled,
  name: (ctx) =>
    natSubnets(ctx.spec)
      .map((s) => natName(ctx.env, s))
      .join(", "),
  desired: (ctx) => ({
    addresses: natSubnets(ctx.spec).map((subnetId) => ({ subnetId, name: natName(ctx.env, subnetId) })),
    tags: stackTags(ctx.env, COMPONENT),
  }),
  observe: observeEips,
  diff: (d, o): Diff => {
    const missing = missingSubnets(
      d.addresses.map((a) => a.subnetId),
      o.map((a) => tagOf(a.Tags, NAT_SUBNET_TAG)),
    );
    return { action: missing.length ? "update" : "noop", changes: missing.map((s) => ({ field: `Elastic IP for ${s}`, to: "allocate" })) };
  },
  create: async (ctx, d) => {
    const have = (await observeEips(ctx)) ?? [];
    for (const a of d.addresses)
      if (!have.some((h) => tagOf(h.Tags, NAT_SUBNET_TAG) === a.subnetId))
        await allocateAddress(ctx.region, a.name, { ...d.tags, [NAT_SUBNET_TAG]: a.subnetId });
  },
  update: async (ctx, d, o) => {
    for (const a of d.addresses)
      if (!o.some((h) => tagOf(h.Tags, NAT_SUBNET_TAG) === a.subnetId))
        await allocateAddress(ctx.region, a.name, { ...d.tags, [NAT_SUBNET_TAG]: a.subnetId });
  },
  delete: async (ctx, o) => {
    for (const a of o) await releaseAddress(ctx.region, a.AllocationId ?? "", a.PublicIp ?? a.AllocationId ?? "Elastic IP");
  },
  ready: () => true,
  // subnet → allocation id (what each NAT gateway needs), and the public IPs (what an ALB's group might admit).
  outputs: (o) => ({
    ...Object.fromEntries(o.map((a) => [tagOf(a.Tags, NAT_SUBNET_TAG) ?? "?", a.AllocationId ?? ""])),
    publicIps: o
      .map((a) => a.PublicIp ?? "")
      .sort()
      .join(","),
  }),
  status: (o) => o.map((a) => a.PublicIp).join(", "),
});

// ── NAT gateways ────────────────────────────────────────────────────────────────────────────────────────────────

interface NatsDesired {
  gateways: { subnetId: string; allocationId: string; name: string }[];
  tags: Record<string, string>;
}
type NatsObserved = NatGateway[];

const LIVE = new Set(["pending", "available"]);

async function observeNats(ctx: StackContext): Promise<NatsObserved | undefined> {
  const found = (await findNatGatewaysByTag(ctx.region, STACK_TAG, ctx.env)).filter(
    (n) => oursIn(ctx.env)(n.Tags) && (LIVE.has(n.State ?? "") || n.State === "failed" || n.State === "deleting"),
  );
  return found.length ? found : undefined;
}

async function createMissingNats(ctx: StackContext, d: NatsDesired, have: NatGateway[]): Promise<void> {
  for (const g of d.gateways) {
    if (have.some((n) => n.SubnetId === g.subnetId && LIVE.has(n.State ?? ""))) continue;
    if (g.allocationId === UNKNOWN || !g.allocationId) throw new TerminalError(`No Elastic IP for the NAT gateway in ${g.subnetId}`);
    await createNatGateway(ctx.region, { ...g, tags: { ...d.tags, [NAT_SUBNET_TAG]: g.subnetId }, token: randomUUID() });
  }
}

export const natGateways = defineResource<NatsDesired, NatsObserved>({
  key: "nat-gateways",
  kind: "NAT gateways",
  group: "network",
  dependsOn: ["nat-eips"],
  enabled,
  name: (ctx) =>
    natSubnets(ctx.spec)
      .map((s) => natName(ctx.env, s))
      .join(", "),
  desired: (ctx, refs) => ({
    gateways: natSubnets(ctx.spec).map((subnetId) => ({
      subnetId,
      allocationId: ref(refs, "nat-eips", subnetId),
      name: natName(ctx.env, subnetId),
    })),
    tags: stackTags(ctx.env, COMPONENT),
  }),
  observe: observeNats,
  diff: (d, o): Diff => {
    const missing = missingSubnets(
      d.gateways.map((g) => g.subnetId),
      o.filter((n) => LIVE.has(n.State ?? "")).map((n) => n.SubnetId),
    );
    return {
      action: missing.length ? "update" : "noop",
      changes: missing.map((s) => ({ field: `NAT gateway in ${s}`, to: "create" })),
    };
  },
  create: async (ctx, d) => createMissingNats(ctx, d, (await observeNats(ctx)) ?? []),
  update: (ctx, d, o) => createMissingNats(ctx, d, o),
  delete: async (ctx, o) => {
    for (const n of o) if (n.State !== "deleting") await deleteNatGateway(ctx.region, n.NatGatewayId ?? "");
  },
  // Gone once every NAT gateway is `deleted` (they stay listed for about an hour): only then can the EIPs go.
  gone: async (ctx) => (await observeNats(ctx)) === undefined,
  ready: (o) => {
    const failed = o.find((n) => n.State === "failed");
    if (failed)
      throw new TerminalError(
        `NAT gateway ${failed.NatGatewayId} failed: ${failed.FailureMessage ?? failed.FailureCode ?? "no reason given"}. Delete it (or destroy the stack's NAT option) and apply again.`,
      );
    const pending = o.filter((n) => n.State !== "available");
    return pending.length ? `${pending.length} NAT gateway${pending.length === 1 ? "" : "s"} ${pending[0]?.State ?? "pending"}` : true;
  },
  outputs: (o) => Object.fromEntries(o.filter((n) => LIVE.has(n.State ?? "")).map((n) => [n.SubnetId ?? "?", n.NatGatewayId ?? ""])),
  status: (o) => o.map((n) => `${n.NatGatewayId} ${n.State}`).join(", "),
});

// ── Routes ──────────────────────────────────────────────────────────────────────────────────────────────────────

interface RoutesDesired {
  privateSubnetIds: string[];
  /** public subnet → NAT gateway id */
  nats: Record<string, string>;
}

interface RoutesObserved {
  tables: RouteTable[];
  /** subnet → AZ, for the private subnets and the NAT gateways' subnets */
  azOf: Record<string, string>;
  /** The stack's live NAT gateway ids. */
  natIds: string[];
}

/** Which NAT gateway each route table should point at: the one in the AZ of its first private subnet, else any. */
export function wantedRoutes(d: RoutesDesired, o: Pick<RoutesObserved, "tables" | "azOf">): Map<string, string> {
  const natByAz = new Map(Object.entries(d.nats).map(([subnet, nat]) => [o.azOf[subnet] ?? "?", nat]));
  const fallback = Object.values(d.nats).sort()[0] ?? UNKNOWN;
  const out = new Map<string, string>();
  for (const subnet of [...d.privateSubnetIds].sort()) {
    const table = routeTableOf(subnet, o.tables)?.RouteTableId;
    if (!table || out.has(table)) continue;
    out.set(table, natByAz.get(o.azOf[subnet] ?? "") ?? fallback);
  }
  return out;
}

async function observeRoutes(ctx: StackContext): Promise<RoutesObserved | undefined> {
  const nats = (await findNatGatewaysByTag(ctx.region, STACK_TAG, ctx.env)).filter(
    (n) => oursIn(ctx.env)(n.Tags) && LIVE.has(n.State ?? ""),
  );
  const natIds = nats.map((n) => n.NatGatewayId ?? "");
  const tables = await describeRouteTables(ctx.region, ctx.spec.vpcId);
  const toOurs = tables.filter((t) => natIds.includes(defaultRoute(t)?.NatGatewayId ?? "-"));
  if (!toOurs.length) return undefined;
  const subnets = await describeSubnetsById(ctx.region, [
    ...new Set([...ctx.spec.privateSubnetIds, ...nats.map((n) => n.SubnetId ?? "").filter(Boolean)]),
  ]);
  return { tables, natIds, azOf: Object.fromEntries(subnets.map((s) => [s.SubnetId ?? "", s.AvailabilityZone ?? ""])) };
}

async function putRoutes(ctx: StackContext, d: RoutesDesired): Promise<void> {
  const tables = await describeRouteTables(ctx.region, ctx.spec.vpcId);
  const subnets = await describeSubnetsById(ctx.region, [...new Set([...d.privateSubnetIds, ...Object.keys(d.nats)])]);
  const azOf = Object.fromEntries(subnets.map((s) => [s.SubnetId ?? "", s.AvailabilityZone ?? ""]));
  for (const [tableId, nat] of wantedRoutes(d, { tables, azOf })) {
    if (nat === UNKNOWN) throw new TerminalError("The NAT gateways are not there yet");
    const current = defaultRoute(tables.find((t) => t.RouteTableId === tableId));
    if (current?.NatGatewayId === nat) continue;
    // The preflight refused subnets that already have a way out; what is left is no route or a dead (blackhole) one.
    if (current) await replaceNatRoute(ctx.region, tableId, nat);
    else await createNatRoute(ctx.region, tableId, nat);
  }
}

export const natRoutes = defineResource<RoutesDesired, RoutesObserved>({
  key: "nat-routes",
  kind: "routes to the NAT gateways",
  group: "network",
  dependsOn: ["nat-gateways"],
  enabled,
  name: (ctx) => `0.0.0.0/0 for ${[...ctx.spec.privateSubnetIds].sort().join(", ")}`,
  desired: (ctx, refs) => {
    const nats = refs["nat-gateways"] ?? {};
    return {
      privateSubnetIds: [...ctx.spec.privateSubnetIds].sort(),
      nats: Object.fromEntries(natSubnets(ctx.spec).map((s) => [s, nats[s] ?? UNKNOWN])),
    };
  },
  observe: observeRoutes,
  diff: (d, o): Diff => {
    const changes = [...wantedRoutes(d, o)]
      .filter(([table, nat]) => nat !== UNKNOWN && defaultRoute(o.tables.find((t) => t.RouteTableId === table))?.NatGatewayId !== nat)
      .map(([table, nat]) => ({
        field: `route table ${table}`,
        from: defaultRoute(o.tables.find((t) => t.RouteTableId === table))?.NatGatewayId ?? "(no default route)",
        to: `0.0.0.0/0 → ${nat}`,
      }));
    return { action: changes.length ? "update" : "noop", changes };
  },
  create: putRoutes,
  update: putRoutes,
  // Only routes that point at this stack's NAT gateways are removed.
  delete: async (ctx, o) => {
    for (const t of o.tables)
      if (o.natIds.includes(defaultRoute(t)?.NatGatewayId ?? "-")) await deleteDefaultRoute(ctx.region, t.RouteTableId ?? "");
  },
  ready: () => true,
  outputs: (o) => ({
    routeTables: o.tables
      .filter((t) => o.natIds.includes(defaultRoute(t)?.NatGatewayId ?? "-"))
      .map((t) => t.RouteTableId ?? "")
      .sort()
      .join(","),
  }),
});
