import "server-only";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
  type TargetHealthDescription,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

// Thin ELBv2 wrappers. Several engineers add functions here: add, don't restructure.

const elb = (region: string) => awsClient(ElasticLoadBalancingV2Client, region);

// aws elbv2 describe-load-balancers --names N  (≤ 20 names per call). A missing name is an error in AWS
// (LoadBalancerNotFound); here it is `undefined`.
export async function findLoadBalancer(region: string, name: string): Promise<LoadBalancer | undefined> {
  try {
    const out = await elb(region).send(new DescribeLoadBalancersCommand({ Names: [name] }));
    return out.LoadBalancers?.[0];
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("elasticloadbalancing:DescribeLoadBalancers", name, () => Promise.reject(err));
  }
}

// aws elbv2 describe-target-groups --names N  (≤ 20 names per call); missing → undefined
export async function findTargetGroup(region: string, name: string): Promise<TargetGroup | undefined> {
  try {
    const out = await elb(region).send(new DescribeTargetGroupsCommand({ Names: [name] }));
    return out.TargetGroups?.[0];
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("elasticloadbalancing:DescribeTargetGroups", name, () => Promise.reject(err));
  }
}

// aws elbv2 describe-listeners --load-balancer-arn A  (one page holds up to 400; a stack has 1–2)
export async function describeListeners(region: string, loadBalancerArn: string, name: string): Promise<Listener[]> {
  const out = await aws("elasticloadbalancing:DescribeListeners", name, () => elb(region).send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })));
  return out.Listeners ?? [];
}

// aws elbv2 describe-target-health --target-group-arn A  (all targets of the group in one answer)
export async function describeTargetHealth(region: string, targetGroupArn: string, name: string): Promise<TargetHealthDescription[]> {
  const out = await aws("elasticloadbalancing:DescribeTargetHealth", name, () =>
    elb(region).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
  );
  return out.TargetHealthDescriptions ?? [];
}
