// ELBv2 with AWS's clock and the simulator's target health: a new ALB is `provisioning` for ~3 min / time scale;
// DescribeTargetHealth shows initial → healthy / unhealthy → draining as the simulator decided (moto says healthy).
import { targetKey, type SimTarget, type World } from "../world";
import { AWS_SECONDS } from "../physics/timing";
import { mapBlocks, tagText } from "../util/xml";
import type { RewriterTable } from "./types";

export function lbState(world: World, arn: string, now: number): "provisioning" | "active" | undefined {
  const created = world.lbCreatedAt.get(arn);
  if (created === undefined) return undefined;
  return now < created + world.scaled(AWS_SECONDS.albProvision) ? "provisioning" : "active";
}

const HEALTH_XML: Record<SimTarget["state"], string> = {
  initial: "<State>initial</State><Reason>Elb.RegistrationInProgress</Reason><Description>Target registration is in progress</Description>",
  healthy: "<State>healthy</State>",
  unhealthy: "<State>unhealthy</State><Reason>Target.FailedHealthChecks</Reason><Description>Health checks failed</Description>",
  draining:
    "<State>draining</State><Reason>Target.DeregistrationInProgress</Reason><Description>Target deregistration is in progress</Description>",
  unused:
    "<State>unused</State><Reason>Target.NotInUse</Reason><Description>Target group is not configured to receive traffic from the load balancer</Description>",
};

function rewriteLbState(world: World, body: string, now: number): string {
  return mapBlocks(body, "member", (m) => {
    const arn = tagText(m, "LoadBalancerArn");
    if (!arn || !m.includes("<State>")) return m;
    const state = lbState(world, arn, now);
    return state ? m.replace(/<State>[\s\S]*?<\/State>/, `<State><Code>${state}</Code></State>`) : m;
  });
}

export const elbRewriters: RewriterTable = {
  "elasticloadbalancing:CreateLoadBalancer": {
    after(env, call, res) {
      if (res.status !== 200) return res;
      const arn = tagText(res.body, "LoadBalancerArn");
      if (arn && !env.world.lbCreatedAt.has(arn)) env.world.lbCreatedAt.set(arn, call.now);
      return { ...res, body: rewriteLbState(env.world, res.body, call.now) };
    },
  },
  "elasticloadbalancing:DescribeLoadBalancers": {
    after(env, call, res) {
      if (res.status !== 200) return res;
      return { ...res, body: rewriteLbState(env.world, res.body, call.now) };
    },
  },
  "elasticloadbalancing:DescribeTargetHealth": {
    after(env, call, res) {
      const tgArn = call.req.form?.get("TargetGroupArn");
      if (res.status !== 200 || !tgArn) return res;
      const body = mapBlocks(res.body, "member", (m) => {
        if (!m.includes("<TargetHealth>")) return m;
        const target = /<Target>([\s\S]*?)<\/Target>/.exec(m)?.[1] ?? "";
        const id = tagText(target, "Id");
        const port = Number(tagText(target, "Port") ?? "0");
        const sim = id ? env.world.targets.get(targetKey(tgArn, id, port)) : undefined;
        if (!sim) return m;
        return m.replace(/<TargetHealth>[\s\S]*?<\/TargetHealth>/, `<TargetHealth>${HEALTH_XML[sim.state]}</TargetHealth>`);
      });
      return { ...res, body };
    },
  },
};
