import "server-only";
import { manualRecord } from "@/lib/domain";
import { changeRecord, findHostedZone, findRecord, type ResourceRecordSet } from "@/server/aws/route53";
import { defineResource, diffOf, ref, UNKNOWN, valueChange, type StackContext } from "../types";

// The custom domain's DNS record. With a Route 53 hosted zone for the domain in the account, the stack owns an alias
// A record `<domain> → the ALB` (free, follows the ALB's addresses). Without one, nothing is created: the plan and
// the stack page show the exact record to create at the DNS provider, and health says "waiting for DNS" until the
// name resolves to the load balancer.

export interface DnsRecordDesired {
  domain: string;
  record: ResourceRecordSet;
}

export interface DnsRecordObserved {
  /** undefined: no hosted zone for the domain in this account (the record is the user's to create). */
  zoneId?: string;
  zoneName?: string;
  record?: ResourceRecordSet;
}

const bare = (name: string | undefined) =>
  (name ?? "")
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^dualstack\./, "");

async function observeRecord(ctx: StackContext): Promise<DnsRecordObserved | undefined> {
  const domain = ctx.spec.domainName ?? "";
  const zone = await findHostedZone(ctx.region, domain);
  if (!zone?.Id) return {};
  const record = await findRecord(ctx.region, zone.Id, domain, "A");
  return record ? { zoneId: zone.Id, zoneName: bare(zone.Name), record } : undefined;
}

export const dnsRecord = defineResource<DnsRecordDesired, DnsRecordObserved>({
  key: "dns-record",
  kind: "DNS record",
  group: "load balancer",
  dependsOn: ["alb"],
  enabled: (spec) => Boolean(spec.domainName),
  name: (ctx) => ctx.spec.domainName ?? "",
  desired: (ctx, refs) => ({
    domain: ctx.spec.domainName ?? "",
    record: {
      Name: ctx.spec.domainName,
      Type: "A",
      AliasTarget: { HostedZoneId: ref(refs, "alb", "zoneId"), DNSName: ref(refs, "alb", "dnsName"), EvaluateTargetHealth: false },
    },
  }),
  observe: observeRecord,
  diff: (d, o) => {
    const alb = d.record.AliasTarget?.DNSName ?? UNKNOWN;
    if (!o.zoneId)
      return {
        action: "noop",
        changes: [],
        notes: [
          `No Route 53 hosted zone for ${d.domain} in this account: create ${manualRecord(d.domain, alb)} at your DNS provider. Until it resolves, the stack's health says "waiting for DNS".`,
        ],
      };
    return diffOf([alb === UNKNOWN ? undefined : valueChange("alias target", bare(alb), bare(o.record?.AliasTarget?.DNSName))]);
  },
  create: async (ctx, d) => {
    const zone = await findHostedZone(ctx.region, d.domain);
    if (!zone?.Id) return;
    await changeRecord(ctx.region, zone.Id, "UPSERT", d.record);
  },
  update: async (ctx, d, o) => {
    if (o.zoneId) await changeRecord(ctx.region, o.zoneId, "UPSERT", d.record);
  },
  // DELETE must name the record exactly as it is.
  delete: async (ctx, o) => {
    if (o.zoneId && o.record) await changeRecord(ctx.region, o.zoneId, "DELETE", o.record);
  },
  gone: async (ctx) => {
    const o = await observeRecord(ctx);
    return !o?.record;
  },
  ready: () => true,
  outputs: (o) => ({ zoneId: o.zoneId ?? "", managed: o.zoneId ? "route53" : "external" }),
  status: (o) => (o.zoneId ? `alias in Route 53 zone ${o.zoneName ?? o.zoneId}` : "no hosted zone in this account"),
});
