// Worker reachability (issue 10 item 4): once per heartbeat, each running worker task tries its PREFECT_API_URL
// from its ENI, under the VPC's DNS, routes and security groups, the way the packets would go on AWS:
// - a Cloud Map name (`prefect-server.prefect-<env>.local`) resolves only in the namespace's VPC, to the registered
//   server tasks' IPs; a server task's security groups must admit the worker's groups (or a CIDR covering its IP) on
//   the port, and the server container must listen there;
// - an ALB name or a custom name (Route 53 alias/CNAME): an internal ALB is reached from inside its VPC and its
//   groups must admit the worker's groups or IP on the listener port; an internet-facing one is reached through the
//   NAT gateway (source = its Elastic IP) or the task's public IP, which its groups must admit by CIDR; HTTPS needs a
//   certificate covering the name; no healthy target → 503.
// Unreachable → the worker logs the connection error every heartbeat and stops heartbeating (OFFLINE in the pool).
import type { LoadBalancer } from "@aws-sdk/client-elastic-load-balancing-v2";
import type { SandboxDns } from "../dns";
import { certificateCovers } from "../dns";
import type { SimTask, World } from "../world";
import { isServerCommand, parseWorkerCommand } from "./commands";
import { AWS_SECONDS } from "./timing";
import { admits, type VpcFacts } from "./vpc";

export interface Reach {
  reachable: boolean;
  error?: string;
}

const DNS_FAILURE = "httpx.ConnectError: [Errno -2] Name or service not known";
const TIMEOUT = "httpx.ConnectTimeout: timed out";
const REFUSED = "httpx.ConnectError: [Errno 111] Connection refused";

export const isWorkerTask = (t: SimTask) => t.td.containers.some((c) => parseWorkerCommand(c.command) !== undefined);

/** The worker container's PREFECT_API_URL (plain environment); else any container's (a one-off CLI task's). */
export function apiUrlOf(t: SimTask): string | undefined {
  const c =
    t.td.containers.find((x) => parseWorkerCommand(x.command) !== undefined) ??
    t.td.containers.find((x) => x.environment.some((e) => e.name === "PREFECT_API_URL"));
  return c?.environment.find((e) => e.name === "PREFECT_API_URL")?.value;
}

export class Reachability {
  constructor(
    private world: World,
    private vpc: VpcFacts,
    private dns: SandboxDns,
  ) {}

  async tick(now: number): Promise<void> {
    const beat = this.world.scaled(AWS_SECONDS.workerHeartbeat);
    for (const t of this.world.tasks.values()) {
      if (t.phase !== "RUNNING" || t.desiredStatus !== "RUNNING" || !isWorkerTask(t)) continue;
      if (t.api && now - t.api.checkedAt < beat) continue;
      const r = await this.reach(t).catch((e: unknown) => ({ reachable: false, error: `httpx.ConnectError: ${String(e)}` }));
      t.api = { reachable: r.reachable, error: r.error, checkedAt: now, lastOkAt: r.reachable ? now : t.api?.lastOkAt };
    }
  }

  async reach(t: SimTask): Promise<Reach> {
    const raw = apiUrlOf(t);
    if (!raw) {
      return { reachable: false, error: "PREFECT_API_URL is not set: the worker cannot register with the stack's Prefect server" };
    }
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      return { reachable: false, error: `httpx.UnsupportedProtocol: Request URL is missing an 'http://' or 'https://' protocol.` };
    }
    const host = url.hostname.toLowerCase();
    const https = url.protocol === "https:";
    const port = Number(url.port || (https ? 443 : 80));
    const source = { groups: t.network.securityGroups, ip: t.ip };

    // Cloud Map service discovery name, inside the VPC.
    const ips = await this.dns.cloudMap(host, t.vpcId);
    if (ips !== undefined) {
      if (ips.length === 0) return { reachable: false, error: DNS_FAILURE };
      for (const ip of ips) {
        const server = [...this.world.tasks.values()].find((x) => x.ip === ip && x.vpcId === t.vpcId && x.phase === "RUNNING");
        if (!server) continue;
        const rules = await this.vpc.ingress(server.network.securityGroups);
        if (!admits(rules, port, source)) continue;
        const listens = server.td.containers.some(
          (c) => isServerCommand(c.command) && c.portMappings.some((p) => p.containerPort === port),
        );
        if (!listens) return { reachable: false, error: REFUSED };
        if (https) return { reachable: false, error: "httpx.ConnectError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)" };
        return { reachable: true };
      }
      return { reachable: false, error: TIMEOUT };
    }

    const lb = await this.dns.albFor(host);
    if (!lb?.LoadBalancerArn) return { reachable: false, error: DNS_FAILURE };
    const pathOk = await this.networkPath(t, lb, port);
    if (!pathOk) return { reachable: false, error: TIMEOUT };
    const listener = (await this.dns.listeners(lb.LoadBalancerArn)).find((l) => l.Port === port);
    if (!listener) return { reachable: false, error: TIMEOUT };
    if (https !== (listener.Protocol === "HTTPS")) {
      return https
        ? { reachable: false, error: "httpx.ConnectError: [SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)" }
        : { reachable: false, error: `httpx.HTTPStatusError: Client error '400 Bad Request' for url '${raw}'` };
    }
    if (https) {
      const certArn = listener.Certificates?.[0]?.CertificateArn;
      const names = certArn ? await this.dns.certificateNames(certArn) : [];
      if (!certificateCovers(names, host)) {
        return {
          reachable: false,
          error: `httpx.ConnectError: [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: Hostname mismatch, certificate is not valid for '${host}'. (_ssl.c:1006)`,
        };
      }
    }
    const tgArns = (listener.DefaultActions ?? []).flatMap((a) => [
      ...(a.TargetGroupArn ? [a.TargetGroupArn] : []),
      ...(a.ForwardConfig?.TargetGroups ?? []).flatMap((g) => (g.TargetGroupArn ? [g.TargetGroupArn] : [])),
    ]);
    const healthy = [...this.world.targets.values()].some((x) => tgArns.includes(x.targetGroupArn) && x.state === "healthy");
    if (!healthy) {
      return { reachable: false, error: `httpx.HTTPStatusError: Server error '503 Service Temporarily Unavailable' for url '${raw}'` };
    }
    return { reachable: true };
  }

  /** Do the worker's packets reach the load balancer's listener port, and does its security group let them in? */
  private async networkPath(t: SimTask, lb: LoadBalancer, port: number): Promise<boolean> {
    const groups = lb.SecurityGroups?.length
      ? lb.SecurityGroups
      : [await this.vpc.defaultGroup(lb.VpcId ?? "")].flatMap((g) => (g ? [g] : []));
    const rules = await this.vpc.ingress(groups);
    if (lb.Scheme === "internal") {
      // Private addresses: reachable from inside the VPC only; the source keeps its private IP and security groups.
      return t.vpcId === lb.VpcId && admits(rules, port, { groups: t.network.securityGroups, ip: t.ip });
    }
    // Internet-facing: out through the NAT gateway (source = its Elastic IP) or the task's own public IP.
    const subnet = await this.vpc.subnet(t.subnetId);
    let publicIp: string | undefined;
    if (subnet?.defaultRoute?.kind === "nat") publicIp = await this.vpc.natPublicIp(subnet.defaultRoute.natGatewayId);
    else if (subnet?.defaultRoute?.kind === "igw" && t.network.assignPublicIp) publicIp = taskPublicIp(t);
    if (!publicIp) return false;
    return admits(rules, port, { groups: [], ip: publicIp });
  }
}

/** A task's public IP (assignPublicIp ENABLED): stable per task, in a public range. */
export function taskPublicIp(t: SimTask): string {
  let h = 0;
  for (const ch of t.id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `3.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${Math.max(1, h & 255)}`;
}
