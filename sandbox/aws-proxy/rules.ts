// AWS's refusals that moto does not make: deleting what is still in use, names and values AWS rejects. Each check
// runs before the call reaches moto and answers with AWS's error code and text; sandbox/README.md's rule table
// cites the AWS page for each and the test that proves it.
import { ListServicesCommand, DescribeServicesCommand } from "@aws-sdk/client-ecs";
import { DescribeSecurityGroupsCommand } from "@aws-sdk/client-ec2";
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { clusterNameOf, type World } from "../world";
import { AWS_SECONDS } from "../physics/timing";
import { awsError, type ErrorResponse } from "./protocol";
import type { ProxyCall, ProxyEnv } from "./types";

export type Validator = (env: ProxyEnv, call: ProxyCall) => Promise<ErrorResponse | void> | ErrorResponse | void;

// ---- RDS (https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html) ----

/** MasterUserPassword: 8–128 printable ASCII characters except / ' " @ and space (CreateDBInstance reference). */
export function masterPasswordProblem(pw: string): string | undefined {
  if (pw.length < 8) return "The parameter MasterUserPassword is not a valid password because it is shorter than 8 characters.";
  if (pw.length > 128) return "The parameter MasterUserPassword is not a valid password because it is longer than 128 characters.";
  if (!/^[\x21-\x7e]+$/.test(pw) || /[/'"@]/.test(pw))
    return "The parameter MasterUserPassword is not a valid password. Only printable ASCII characters besides '/', '@', '\"', ' ' may be used.";
  return undefined;
}

/**
 * Storage autoscaling: MaxAllocatedStorage at least 10 % above the allocated storage
 * (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PIOPS.Autoscaling.html); on ModifyDBInstance, equal to
 * it turns autoscaling off. Pure.
 */
export function maxStorageProblem(max: number, allocated: number, engine: string, modify: boolean): string | undefined {
  if (modify && max === allocated) return undefined;
  return max < Math.ceil(allocated * 1.1) ? `Invalid max storage size for ${engine}` : undefined;
}

const num = (v: string | null | undefined) => (v === null || v === undefined || v === "" ? undefined : Number(v));

const rdsCreate: Validator = (_env, call) => {
  const f = call.req.form;
  if (!f) return;
  const pw = f.get("MasterUserPassword");
  const pwProblem = pw === null ? undefined : masterPasswordProblem(pw);
  if (pwProblem) return awsError(call.req, 400, "InvalidParameterValue", pwProblem);
  const max = num(f.get("MaxAllocatedStorage"));
  const allocated = num(f.get("AllocatedStorage"));
  if (max !== undefined && allocated !== undefined) {
    const p = maxStorageProblem(max, allocated, f.get("Engine") ?? "postgres", false);
    if (p) return awsError(call.req, 400, "InvalidParameterCombination", p);
  }
};

const rdsModify: Validator = async (env, call) => {
  const f = call.req.form;
  const id = f?.get("DBInstanceIdentifier");
  if (!f || !id) return;
  const pw = f.get("MasterUserPassword");
  const pwProblem = pw === null ? undefined : masterPasswordProblem(pw);
  if (pwProblem) return awsError(call.req, 400, "InvalidParameterValue", pwProblem);
  const max = num(f.get("MaxAllocatedStorage"));
  if (max === undefined) return;
  const db = (await env.moto.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).catch(() => undefined))
    ?.DBInstances?.[0];
  const allocated = num(f.get("AllocatedStorage")) ?? db?.AllocatedStorage;
  if (allocated === undefined) return;
  const p = maxStorageProblem(max, allocated, db?.Engine ?? "postgres", true);
  if (p) return awsError(call.req, 400, "InvalidParameterCombination", p);
};

/** DeleteDBInstance needs a final snapshot name unless SkipFinalSnapshot (API_DeleteDBInstance.html). */
const rdsDelete: Validator = (_env, call) => {
  const f = call.req.form;
  if (!f) return;
  if (f.get("SkipFinalSnapshot") !== "true" && !f.get("FinalDBSnapshotIdentifier"))
    return awsError(
      call.req,
      400,
      "InvalidParameterCombination",
      "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.",
    );
};

// ---- ELBv2 (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_CreateLoadBalancer.html) ----

/** A load balancer name: ≤ 32 letters, digits and hyphens, not starting or ending with a hyphen, not "internal-…". */
export function loadBalancerNameProblem(name: string): string | undefined {
  if (name.length > 32) return `Load balancer name '${name}' cannot be longer than '32' characters`;
  if (!/^[A-Za-z0-9-]+$/.test(name))
    return `Load balancer name '${name}' can only contain characters that are alphanumeric characters or hyphens(-)`;
  if (name.startsWith("-") || name.endsWith("-")) return `Load balancer name '${name}' cannot begin or end with a hyphen`;
  if (name.toLowerCase().startsWith("internal-")) return `Load balancer name '${name}' cannot begin with 'internal-'`;
  return undefined;
}

const elbCreate: Validator = (_env, call) => {
  const name = call.req.form?.get("Name");
  const p = name === null || name === undefined ? undefined : loadBalancerNameProblem(name);
  if (p) return awsError(call.req, 400, "ValidationError", p);
};

// ---- ECS (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DeleteCluster.html) ----

/** A deleted service stays DRAINING while any of its tasks has not stopped. */
export function isDraining(world: World, clusterName: string, serviceName: string): boolean {
  return world.tasksOfService(`${clusterName}/${serviceName}`).some((t) => t.phase !== "STOPPED");
}

const ecsDeleteCluster: Validator = async (env, call) => {
  const clusterName = clusterNameOf(typeof call.req.json?.cluster === "string" ? call.req.json.cluster : undefined);
  const arns =
    (await env.moto.ecs.send(new ListServicesCommand({ cluster: clusterName, maxResults: 100 })).catch(() => undefined))?.serviceArns ?? [];
  for (let i = 0; i < arns.length; i += 10) {
    const r = await env.moto.ecs
      .send(new DescribeServicesCommand({ cluster: clusterName, services: arns.slice(i, i + 10) }))
      .catch(() => undefined);
    const inUse = (r?.services ?? []).some(
      (s) => s.status === "ACTIVE" || (s.serviceName && isDraining(env.world, clusterName, s.serviceName)),
    );
    if (inUse)
      return awsError(call.req, 400, "ClusterContainsServicesException", "The Cluster cannot be deleted while Services are active.");
  }
  if ([...env.world.tasks.values()].some((t) => t.clusterName === clusterName && t.phase !== "STOPPED"))
    return awsError(call.req, 400, "ClusterContainsTasksException", "The Cluster cannot be deleted while Tasks are active.");
};

// ---- Secrets Manager (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html) ----

const smCreate: Validator = async (env, call) => {
  const name = call.req.json?.Name;
  if (typeof name !== "string") return;
  const existing = await env.moto.sm.send(new DescribeSecretCommand({ SecretId: name })).catch(() => undefined);
  if (existing?.DeletedDate)
    return awsError(
      call.req,
      400,
      "InvalidRequestException",
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
};

// ---- EC2 (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html) ----

/** Task ENIs still holding `groupId` at `now`: tasks not yet stopped, or stopped less than AWS_SECONDS.eniRelease ago. */
export function enisUsing(world: World, groupId: string, now: number): string[] {
  const out: string[] = [];
  for (const t of world.tasks.values()) {
    if (!(world.taskSecurityGroups.get(t.arn) ?? []).includes(groupId)) continue;
    const released = t.phase === "STOPPED" && t.stoppedAt !== undefined && now >= t.stoppedAt + world.scaled(AWS_SECONDS.eniRelease);
    if (!released) out.push(t.eniId);
  }
  return out;
}

const ec2DeleteSecurityGroup: Validator = async (env, call) => {
  const f = call.req.form;
  let groupId = f?.get("GroupId") ?? undefined;
  const groupName = f?.get("GroupName") ?? undefined;
  const all = (await env.moto.ec2.send(new DescribeSecurityGroupsCommand({})).catch(() => undefined))?.SecurityGroups ?? [];
  groupId ??= all.find((g) => g.GroupName === groupName)?.GroupId;
  if (!groupId) return;
  const referenced = all.some(
    (g) =>
      g.GroupId !== groupId &&
      [...(g.IpPermissions ?? []), ...(g.IpPermissionsEgress ?? [])].some((p) =>
        (p.UserIdGroupPairs ?? []).some((u) => u.GroupId === groupId),
      ),
  );
  if (referenced || enisUsing(env.world, groupId, call.now).length > 0)
    return awsError(call.req, 400, "DependencyViolation", `resource ${groupId} has a dependent object`);
};

/** Keyed by `${service}:${operation}`, run before the call's rewriter. */
export const VALIDATORS: Record<string, Validator> = {
  "rds:CreateDBInstance": rdsCreate,
  "rds:ModifyDBInstance": rdsModify,
  "rds:DeleteDBInstance": rdsDelete,
  "elasticloadbalancing:CreateLoadBalancer": elbCreate,
  "ecs:DeleteCluster": ecsDeleteCluster,
  "secretsmanager:CreateSecret": smCreate,
  "ec2:DeleteSecurityGroup": ec2DeleteSecurityGroup,
};
