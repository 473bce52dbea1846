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
  const out = await aws("elasticloadbalancing:DescribeListeners", name, () =>
    elb(region).send(new DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn })),
  );
  return out.Listeners ?? [];
}

// aws elbv2 describe-target-health --target-group-arn A  (all targets of the group in one answer)
export async function describeTargetHealth(region: string, targetGroupArn: string, name: string): Promise<TargetHealthDescription[]> {
  const out = await aws("elasticloadbalancing:DescribeTargetHealth", name, () =>
    elb(region).send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
  );
  return out.TargetHealthDescriptions ?? [];
}

// ── Provisioning (server/stack) ────────────────────────────────────────────────────────────────────────────────
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  DeleteListenerCommand,
  DeleteLoadBalancerCommand,
  DeleteTargetGroupCommand,
  ModifyListenerCommand,
  ModifyTargetGroupCommand,
  SetSecurityGroupsCommand,
  SetSubnetsCommand,
  type CreateListenerCommandInput,
  type CreateLoadBalancerCommandInput,
  type CreateTargetGroupCommandInput,
  type ModifyListenerCommandInput,
  type ModifyTargetGroupCommandInput,
} from "@aws-sdk/client-elastic-load-balancing-v2";

// aws elbv2 create-load-balancer --name N --type application --scheme S --subnets … --security-groups …
export async function createLoadBalancer(region: string, input: CreateLoadBalancerCommandInput): Promise<void> {
  await aws("elasticloadbalancing:CreateLoadBalancer", input.Name ?? "alb", () => elb(region).send(new CreateLoadBalancerCommand(input)));
}
// aws elbv2 set-security-groups / set-subnets --load-balancer-arn A …
export async function setLoadBalancerSecurityGroups(region: string, arn: string, name: string, groups: string[]): Promise<void> {
  await aws("elasticloadbalancing:SetSecurityGroups", name, () =>
    elb(region).send(new SetSecurityGroupsCommand({ LoadBalancerArn: arn, SecurityGroups: groups })),
  );
}
export async function setLoadBalancerSubnets(region: string, arn: string, name: string, subnets: string[]): Promise<void> {
  await aws("elasticloadbalancing:SetSubnets", name, () =>
    elb(region).send(new SetSubnetsCommand({ LoadBalancerArn: arn, Subnets: subnets })),
  );
}
// aws elbv2 delete-load-balancer --load-balancer-arn A
export async function deleteLoadBalancer(region: string, arn: string, name: string): Promise<void> {
  try {
    await elb(region).send(new DeleteLoadBalancerCommand({ LoadBalancerArn: arn }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("elasticloadbalancing:DeleteLoadBalancer", name, () => Promise.reject(err));
  }
}

// aws elbv2 create-target-group --name N --protocol HTTP --port 4200 --target-type ip --health-check-path /api/health …
export async function createTargetGroup(region: string, input: CreateTargetGroupCommandInput): Promise<void> {
  await aws("elasticloadbalancing:CreateTargetGroup", input.Name ?? "tg", () => elb(region).send(new CreateTargetGroupCommand(input)));
}
// aws elbv2 modify-target-group --target-group-arn A --health-check-…
export async function modifyTargetGroup(region: string, input: ModifyTargetGroupCommandInput, name: string): Promise<void> {
  await aws("elasticloadbalancing:ModifyTargetGroup", name, () => elb(region).send(new ModifyTargetGroupCommand(input)));
}
// aws elbv2 delete-target-group --target-group-arn A  (ResourceInUse while a listener forwards to it → retried)
export async function deleteTargetGroup(region: string, arn: string, name: string): Promise<void> {
  try {
    await elb(region).send(new DeleteTargetGroupCommand({ TargetGroupArn: arn }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("elasticloadbalancing:DeleteTargetGroup", name, () => Promise.reject(err));
  }
}

// aws elbv2 create-listener / modify-listener / delete-listener
export async function createListener(region: string, input: CreateListenerCommandInput, name: string): Promise<void> {
  await aws("elasticloadbalancing:CreateListener", name, () => elb(region).send(new CreateListenerCommand(input)));
}
export async function modifyListener(region: string, input: ModifyListenerCommandInput, name: string): Promise<void> {
  await aws("elasticloadbalancing:ModifyListener", name, () => elb(region).send(new ModifyListenerCommand(input)));
}
export async function deleteListener(region: string, arn: string, name: string): Promise<void> {
  try {
    await elb(region).send(new DeleteListenerCommand({ ListenerArn: arn }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("elasticloadbalancing:DeleteListener", name, () => Promise.reject(err));
  }
}
