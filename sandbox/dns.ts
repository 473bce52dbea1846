// Name resolution as the sandbox's clients would see it (issue 10 items 4 and 5):
// - an ALB's own DNS name;
// - a custom name through a Route 53 public hosted zone: an alias A/AAAA record (or a CNAME) pointing at an ALB;
// - a Cloud Map name `<service>.<namespace>`, only inside the VPC the private namespace was created in, resolving
//   to the IPv4 addresses of the service's registered instances.
// Everything is read from moto with a 1 s cache, so a record the product just created resolves within a tick.
import { DescribeCertificateCommand } from "@aws-sdk/client-acm";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  type Listener,
  type LoadBalancer,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { ListHostedZonesCommand, ListResourceRecordSetsCommand, type ResourceRecordSet } from "@aws-sdk/client-route-53";
import { ListInstancesCommand, ListNamespacesCommand, ListServicesCommand } from "@aws-sdk/client-servicediscovery";
import type { MotoClients } from "./clients";
import type { World } from "./world";

const TTL_MS = 1000;
const bare = (name: string) =>
  name
    .toLowerCase()
    .replace(/\.$/, "")
    .replace(/^dualstack\./, "");

export class SandboxDns {
  private cache = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(
    private world: World,
    private c: MotoClients,
  ) {}

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = load();
    value.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  loadBalancers(): Promise<LoadBalancer[]> {
    return this.cached("lbs", async () => {
      const out: LoadBalancer[] = [];
      let marker: string | undefined;
      for (let i = 0; i < 20; i++) {
        const r = await this.c.elb.send(new DescribeLoadBalancersCommand({ Marker: marker }));
        out.push(...(r.LoadBalancers ?? []));
        marker = r.NextMarker;
        if (!marker) break;
      }
      return out;
    });
  }

  listeners(lbArn: string): Promise<Listener[]> {
    return this.cached(`listeners:${lbArn}`, async () => {
      const r = await this.c.elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbArn })).catch(() => undefined);
      return r?.Listeners ?? [];
    });
  }

  /** The names an ACM certificate is valid for (its domain and subject alternative names). */
  certificateNames(certificateArn: string): Promise<string[]> {
    return this.cached(`cert:${certificateArn}`, async () => {
      const r = await this.c.acm.send(new DescribeCertificateCommand({ CertificateArn: certificateArn })).catch(() => undefined);
      const cert = r?.Certificate;
      if (!cert?.DomainName) return [];
      return [...new Set([cert.DomainName, ...(cert.SubjectAlternativeNames ?? [])].map((n) => n.toLowerCase()))];
    });
  }

  /** The ALB a host name leads to: its own DNS name, or a Route 53 alias/CNAME chain ending at one. */
  async albFor(host: string): Promise<LoadBalancer | undefined> {
    let name = bare(host);
    const lbs = await this.loadBalancers();
    for (let hop = 0; hop < 4; hop++) {
      const lb = lbs.find((l) => l.DNSName?.toLowerCase() === name);
      if (lb) return lb;
      const next = await this.publicRecordTarget(name);
      if (!next) return undefined;
      name = next;
    }
    return undefined;
  }

  /** The alias target or CNAME value of `name` in the Route 53 public hosted zone that holds it. */
  private async publicRecordTarget(name: string): Promise<string | undefined> {
    const zones = await this.cached("zones", async () => (await this.c.route53.send(new ListHostedZonesCommand({}))).HostedZones ?? []);
    const zone = zones
      .filter((z) => !z.Config?.PrivateZone && z.Id && (name === bare(z.Name ?? "") || name.endsWith(`.${bare(z.Name ?? "")}`)))
      .sort((a, b) => (b.Name?.length ?? 0) - (a.Name?.length ?? 0))[0];
    if (!zone?.Id) return undefined;
    const records = await this.cached(`records:${zone.Id}`, async () => {
      const out: ResourceRecordSet[] = [];
      let start: { name?: string; type?: string } = {};
      for (let i = 0; i < 20; i++) {
        const r = await this.c.route53.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: zone.Id,
            StartRecordName: start.name,
            StartRecordType: start.type as never,
          }),
        );
        out.push(...(r.ResourceRecordSets ?? []));
        if (!r.IsTruncated) break;
        start = { name: r.NextRecordName, type: r.NextRecordType };
      }
      return out;
    });
    const rec = records.find((r) => bare(r.Name ?? "") === name && ["A", "AAAA", "CNAME"].includes(r.Type ?? ""));
    if (rec?.AliasTarget?.DNSName) return bare(rec.AliasTarget.DNSName);
    const value = rec?.Type === "CNAME" ? rec.ResourceRecords?.[0]?.Value : undefined;
    return value ? bare(value) : undefined;
  }

  /**
   * A Cloud Map name seen from a VPC: undefined when it is not a namespace's name there (does not resolve), else the
   * registered instances' IPv4 addresses (possibly none).
   */
  async cloudMap(host: string, vpcId: string | undefined): Promise<string[] | undefined> {
    const name = bare(host);
    const dot = name.indexOf(".");
    if (dot < 0 || !vpcId) return undefined;
    const serviceName = name.slice(0, dot);
    const nsName = name.slice(dot + 1);
    if (!this.world.privateNamespaces.some((n) => n.name === nsName && n.vpcId === vpcId)) return undefined;
    const namespaces = await this.cached(
      "cm:namespaces",
      async () => (await this.c.sd.send(new ListNamespacesCommand({}))).Namespaces ?? [],
    );
    const ns = namespaces.find((n) => n.Type === "DNS_PRIVATE" && bare(n.Name ?? "") === nsName);
    if (!ns?.Id) return undefined;
    const services = await this.cached(
      `cm:services:${ns.Id}`,
      async () =>
        (await this.c.sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns.Id ?? ""], Condition: "EQ" }] })))
          .Services ?? [],
    );
    const svc = services.find((s) => s.Name?.toLowerCase() === serviceName);
    if (!svc?.Id) return undefined;
    const instances = await this.cached(
      `cm:instances:${svc.Id}`,
      async () => (await this.c.sd.send(new ListInstancesCommand({ ServiceId: svc.Id }))).Instances ?? [],
    );
    return instances.flatMap((i) => (i.Attributes?.AWS_INSTANCE_IPV4 ? [i.Attributes.AWS_INSTANCE_IPV4] : []));
  }
}

/** Does a certificate name (possibly `*.example.com`) cover `host`? A wildcard covers exactly one label. */
export function certificateCovers(names: string[], host: string): boolean {
  const h = host.toLowerCase();
  return names.some((n) => {
    if (n === h) return true;
    if (!n.startsWith("*.")) return false;
    const rest = h.slice(h.indexOf(".") + 1);
    return h.includes(".") && rest === n.slice(2) && !h.slice(0, h.indexOf(".")).includes("*");
  });
}
