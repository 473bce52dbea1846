import "server-only";
import type {
  CreateListenerCommandInput,
  CreateLoadBalancerCommandInput,
  CreateTargetGroupCommandInput,
  Listener,
  LoadBalancer,
  TargetGroup,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { stackTags } from "@/lib/names";
import {
  createListener,
  createLoadBalancer,
  createTargetGroup,
  deleteListener,
  deleteLoadBalancer,
  deleteTargetGroup,
  describeListeners,
  findLoadBalancer,
  findTargetGroup,
  modifyListener,
  modifyTargetGroup,
  setLoadBalancerSecurityGroups,
  setLoadBalancerSubnets,
} from "@/server/aws/elbv2";
import { defineResource, diffOf, ref, setChange, tagList, UNKNOWN, valueChange, type Diff } from "../types";

// The seed's alb.tf: ALB `prefect-<env>` (internal by default) in the public subnets behind `prefect-alb-<env>`,
// target group `prefect-<env>` (HTTP 4200, ip targets, health check /api/health) and an HTTP listener.
// Added: with an ACM certificate, an HTTPS listener (TLS 1.3 policy) and HTTP → HTTPS redirect.

export const loadBalancer = defineResource<CreateLoadBalancerCommandInput, LoadBalancer>({
  key: "alb",
  kind: "load balancer",
  group: "load balancer",
  dependsOn: ["sg-alb"],
  name: (ctx) => ctx.names.alb,
  desired: (ctx, refs) => ({
    Name: ctx.names.alb,
    Type: "application",
    Scheme: ctx.spec.albScheme,
    IpAddressType: "ipv4",
    Subnets: [...ctx.spec.publicSubnetIds].sort(),
    SecurityGroups: [ref(refs, "sg-alb", "groupId")],
    Tags: tagList({ Name: ctx.names.alb, ...stackTags(ctx.env, "alb") }),
  }),
  observe: (ctx) => findLoadBalancer(ctx.region, ctx.names.alb),
  diff: (d, o): Diff => {
    if (d.Scheme !== o.Scheme) return { action: "replace", changes: [{ field: "scheme", from: o.Scheme, to: d.Scheme }] };
    return diffOf([
      setChange(
        "subnets",
        d.Subnets ?? [],
        (o.AvailabilityZones ?? []).map((z) => z.SubnetId ?? ""),
      ),
      d.SecurityGroups?.[0] === UNKNOWN ? undefined : setChange("security groups", d.SecurityGroups ?? [], o.SecurityGroups ?? []),
    ]);
  },
  create: async (ctx, d) => {
    if (await findLoadBalancer(ctx.region, d.Name ?? "")) return;
    await createLoadBalancer(ctx.region, d);
  },
  update: async (ctx, d, o, diff) => {
    const fields = new Set(diff.changes.map((c) => c.field));
    if (fields.has("security groups"))
      await setLoadBalancerSecurityGroups(ctx.region, o.LoadBalancerArn ?? "", d.Name ?? "", d.SecurityGroups ?? []);
    if (fields.has("subnets")) await setLoadBalancerSubnets(ctx.region, o.LoadBalancerArn ?? "", d.Name ?? "", d.Subnets ?? []);
  },
  delete: (ctx, o) => deleteLoadBalancer(ctx.region, o.LoadBalancerArn ?? "", o.LoadBalancerName ?? ""),
  // Dependants need only the ARN and DNS name, which exist while the ALB is still provisioning; the Prefect API
  // is reached through it later, and the work-pool step waits for that.
  ready: (o) => (o.State?.Code === "failed" ? `load balancer failed: ${o.State.Reason ?? ""}` : true),
  outputs: (o) => ({
    arn: o.LoadBalancerArn ?? "",
    dnsName: o.DNSName ?? "",
    /** The ALB's own Route 53 zone: an alias record to it names this zone. */
    zoneId: o.CanonicalHostedZoneId ?? "",
    arnSuffix: (o.LoadBalancerArn ?? "").split(":loadbalancer/")[1] ?? "",
  }),
  status: (o) => o.State?.Code ?? "unknown",
});

export const targetGroup = defineResource<CreateTargetGroupCommandInput, TargetGroup>({
  key: "target-group",
  kind: "target group",
  group: "load balancer",
  dependsOn: [],
  name: (ctx) => ctx.names.targetGroup,
  desired: (ctx) => ({
    Name: ctx.names.targetGroup,
    Protocol: "HTTP",
    Port: 4200,
    VpcId: ctx.spec.vpcId,
    TargetType: "ip",
    HealthCheckEnabled: true,
    HealthCheckProtocol: "HTTP",
    HealthCheckPath: "/api/health",
    HealthCheckPort: "traffic-port",
    HealthCheckIntervalSeconds: 30,
    HealthCheckTimeoutSeconds: 5,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 3,
    Matcher: { HttpCode: "200" },
    Tags: tagList({ Name: ctx.names.targetGroup, ...stackTags(ctx.env, "alb") }),
  }),
  observe: (ctx) => findTargetGroup(ctx.region, ctx.names.targetGroup),
  diff: (d, o): Diff => {
    const replace = [
      valueChange("port", d.Port, o.Port),
      valueChange("VPC", d.VpcId, o.VpcId),
      valueChange("target type", d.TargetType, o.TargetType),
    ].filter((c) => c !== undefined);
    if (replace.length) return { action: "replace", changes: replace };
    return diffOf([
      valueChange("health check path", d.HealthCheckPath, o.HealthCheckPath),
      valueChange("health check interval", d.HealthCheckIntervalSeconds, o.HealthCheckIntervalSeconds),
      valueChange("health check timeout", d.HealthCheckTimeoutSeconds, o.HealthCheckTimeoutSeconds),
      valueChange("healthy threshold", d.HealthyThresholdCount, o.HealthyThresholdCount),
      valueChange("unhealthy threshold", d.UnhealthyThresholdCount, o.UnhealthyThresholdCount),
      valueChange("matcher", d.Matcher?.HttpCode, o.Matcher?.HttpCode),
    ]);
  },
  create: async (ctx, d) => {
    if (await findTargetGroup(ctx.region, d.Name ?? "")) return;
    await createTargetGroup(ctx.region, d);
  },
  update: (ctx, d, o) =>
    modifyTargetGroup(
      ctx.region,
      {
        TargetGroupArn: o.TargetGroupArn,
        HealthCheckEnabled: true,
        HealthCheckPath: d.HealthCheckPath,
        HealthCheckIntervalSeconds: d.HealthCheckIntervalSeconds,
        HealthCheckTimeoutSeconds: d.HealthCheckTimeoutSeconds,
        HealthyThresholdCount: d.HealthyThresholdCount,
        UnhealthyThresholdCount: d.UnhealthyThresholdCount,
        Matcher: d.Matcher,
      },
      d.Name ?? "",
    ),
  delete: (ctx, o) => deleteTargetGroup(ctx.region, o.TargetGroupArn ?? "", o.TargetGroupName ?? ""),
  ready: () => true,
  outputs: (o) => ({ arn: o.TargetGroupArn ?? "", arnSuffix: (o.TargetGroupArn ?? "").split(":").pop() ?? "" }),
});

interface ListenersDesired {
  listeners: CreateListenerCommandInput[];
}
interface ListenersObserved {
  loadBalancerArn: string;
  listeners: Listener[];
}

/** "HTTP:80 → forward" / "HTTP:80 → redirect HTTPS:443" / "HTTPS:443 → forward (cert …)" */
function describeListener(l: {
  Port?: number;
  Protocol?: string;
  DefaultActions?: { Type?: string; TargetGroupArn?: string; RedirectConfig?: { Protocol?: string; Port?: string } }[];
  Certificates?: { CertificateArn?: string }[];
}): string {
  const a = l.DefaultActions?.[0];
  const action =
    a?.Type === "redirect"
      ? `redirect ${a.RedirectConfig?.Protocol}:${a.RedirectConfig?.Port}`
      : `forward ${(a?.TargetGroupArn ?? "").split("/")[1] ?? "target group"}`;
  const cert = l.Certificates?.[0]?.CertificateArn ? ` (certificate …${l.Certificates[0].CertificateArn.slice(-12)})` : "";
  return `${l.Protocol}:${l.Port} → ${action}${cert}`;
}

export const listeners = defineResource<ListenersDesired, ListenersObserved>({
  key: "listeners",
  kind: "listeners",
  group: "load balancer",
  dependsOn: ["alb", "target-group"],
  name: (ctx) => `${ctx.names.alb} :80${ctx.spec.certificateArn ? " :443" : ""}`,
  desired: (ctx, refs) => {
    const lb = ref(refs, "alb", "arn");
    const forward = [{ Type: "forward" as const, TargetGroupArn: ref(refs, "target-group", "arn") }];
    if (!ctx.spec.certificateArn) return { listeners: [{ LoadBalancerArn: lb, Port: 80, Protocol: "HTTP", DefaultActions: forward }] };
    return {
      listeners: [
        {
          LoadBalancerArn: lb,
          Port: 80,
          Protocol: "HTTP",
          DefaultActions: [{ Type: "redirect", RedirectConfig: { Protocol: "HTTPS", Port: "443", StatusCode: "HTTP_301" } }],
        },
        {
          LoadBalancerArn: lb,
          Port: 443,
          Protocol: "HTTPS",
          SslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
          Certificates: [{ CertificateArn: ctx.spec.certificateArn }],
          DefaultActions: forward,
        },
      ],
    };
  },
  observe: async (ctx) => {
    const lb = await findLoadBalancer(ctx.region, ctx.names.alb);
    if (!lb?.LoadBalancerArn) return undefined;
    const ls = await describeListeners(ctx.region, lb.LoadBalancerArn, ctx.names.alb);
    return ls.length ? { loadBalancerArn: lb.LoadBalancerArn, listeners: ls } : undefined;
  },
  diff: (d, o) => diffOf([setChange("listeners", d.listeners.map(describeListener), o.listeners.map(describeListener))]),
  create: async (ctx, d) => {
    const existing = await describeListeners(ctx.region, d.listeners[0]?.LoadBalancerArn ?? "", ctx.names.alb).catch(
      () => [] as Listener[],
    );
    for (const l of d.listeners)
      if (!existing.some((e) => e.Port === l.Port)) await createListener(ctx.region, l, `${ctx.names.alb}:${l.Port}`);
  },
  update: async (ctx, d, o) => {
    for (const l of d.listeners) {
      const have = o.listeners.find((e) => e.Port === l.Port);
      if (!have) await createListener(ctx.region, { ...l, LoadBalancerArn: o.loadBalancerArn }, `${ctx.names.alb}:${l.Port}`);
      else if (describeListener(have) !== describeListener(l))
        await modifyListener(
          ctx.region,
          {
            ListenerArn: have.ListenerArn,
            Port: l.Port,
            Protocol: l.Protocol,
            SslPolicy: l.SslPolicy,
            Certificates: l.Certificates,
            DefaultActions: l.DefaultActions,
          },
          `${ctx.names.alb}:${l.Port}`,
        );
    }
    for (const e of o.listeners)
      if (!d.listeners.some((l) => l.Port === e.Port)) await deleteListener(ctx.region, e.ListenerArn ?? "", `${ctx.names.alb}:${e.Port}`);
  },
  delete: async (ctx, o) => {
    for (const e of o.listeners) await deleteListener(ctx.region, e.ListenerArn ?? "", `${ctx.names.alb}:${e.Port}`);
  },
  ready: () => true,
  outputs: (o) => ({
    ports: o.listeners
      .map((l) => String(l.Port))
      .sort()
      .join(","),
  }),
});
