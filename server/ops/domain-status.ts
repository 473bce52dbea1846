import "server-only";
import { promises as dns } from "node:dns";
import { manualRecord } from "@/lib/domain";
import type { DomainDto } from "@/lib/ops/types";
import { findHostedZone, findRecord } from "@/server/aws/route53";

// Whether the stack's custom domain points at its load balancer yet: the Route 53 alias the stack owns, or — when the
// domain's DNS lives elsewhere — the name resolving to the load balancer (a CNAME to it, or the same addresses).
//   aws route53 list-hosted-zones-by-name; list-resource-record-sets; then an ordinary DNS lookup.

const bare = (n: string | undefined) =>
  (n ?? "")
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^dualstack\./, "");

async function resolvesTo(domain: string, albDnsName: string, timeoutMs: number): Promise<boolean> {
  const within = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error("DNS timeout")), timeoutMs))]);
  const cname = await within(dns.resolveCname(domain)).catch(() => [] as string[]);
  if (cname.some((c) => bare(c) === bare(albDnsName))) return true;
  const [mine, alb] = await Promise.all([
    within(dns.resolve4(domain)).catch(() => [] as string[]),
    within(dns.resolve4(albDnsName)).catch(() => [] as string[]),
  ]);
  return mine.length > 0 && mine.some((ip) => alb.includes(ip));
}

export async function domainStatus(region: string, domain: string, albDnsName: string, timeoutMs = 2_000): Promise<DomainDto> {
  const record = manualRecord(domain, albDnsName);
  const zone = await findHostedZone(region, domain).catch(() => undefined);
  if (zone?.Id) {
    const alias = await findRecord(region, zone.Id, domain, "A").catch(() => undefined);
    const ready = bare(alias?.AliasTarget?.DNSName) === bare(albDnsName);
    return { name: domain, state: ready ? "ready" : "waiting", managedBy: "route53", record };
  }
  return { name: domain, state: (await resolvesTo(domain, albDnsName, timeoutMs)) ? "ready" : "waiting", managedBy: "you", record };
}
