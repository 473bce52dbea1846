// ECS task start, as ECS resolves a task definition before a task reaches RUNNING (issue 10 item 1). Each broken
// rule stops the task with stop code TaskFailedToStart and the reason text ECS gives (sandbox/README.md's rule table):
// 1. the execution/task roles are assumable: they trust ecs-tasks.amazonaws.com and were created more than a (scaled)
//    ~10 s ago (IAM is eventually consistent) → "ECS was unable to assume the role …";
// 2. each secrets[].valueFrom resolves: a Secrets Manager ARN (optionally `:json-key:version-stage:version-id`) of an
//    existing secret, or an SSM parameter name/ARN (a bare secret name is read as an SSM parameter name), and the
//    execution role allows secretsmanager:GetSecretValue / ssm:GetParameters on it
//    → "ResourceInitializationError: unable to pull secrets or registry auth: …";
// 3. the task's subnet has a way out to each endpoint it needs: a 0.0.0.0/0 route to a NAT gateway, or to an internet
//    gateway with assignPublicIp ENABLED, or interface endpoints in the VPC (ECR api+dkr and S3, Secrets Manager, SSM,
//    CloudWatch Logs) — which never reach Docker Hub → "CannotPullContainerError: … i/o timeout" (or the secrets
//    variant when the secrets are fetched first).
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import { DescribeSecretCommand, GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import {
  GetPolicyCommand,
  GetPolicyVersionCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import type { MotoClients } from "../clients";
import type { SimTask, StartFailure, World } from "../world";
import { evaluate, parsePolicyDocument, trusts, type PolicyDocument } from "./iam-policy";
import { AWS_SECONDS } from "./timing";
import type { VpcFacts } from "./vpc";

const ACCOUNT = "123456789012";
const SECRET_ARN = /^(arn:aws[\w-]*:secretsmanager:([^:]+):(\d+):secret:[^:]+)(?::([^:]*):([^:]*):([^:]*))?$/;
const SSM_ARN = /^arn:aws[\w-]*:ssm:([^:]+):(\d+):parameter(\/.+)$/;

/** Where an image comes from: Amazon ECR (reachable through VPC endpoints) or the internet (Docker Hub, others). */
export function registryOf(image: string): { kind: "ecr"; host: string } | { kind: "internet"; host: string; ref: string } {
  const first = image.split("/")[0] ?? "";
  if (/\.dkr\.ecr\.[^.]+\.amazonaws\.com(\.cn)?$/.test(first)) return { kind: "ecr", host: first };
  const isHost = image.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost");
  if (isHost) return { kind: "internet", host: first, ref: image };
  const path = image.includes("/") ? image : `library/${image}`;
  const ref = `docker.io/${path}${path.includes(":") || path.includes("@") ? "" : ":latest"}`;
  return { kind: "internet", host: "registry-1.docker.io", ref };
}

export class TaskStartCheck {
  constructor(
    private world: World,
    private c: MotoClients,
    private vpc: VpcFacts,
  ) {}

  /** Why ECS would not start `t` (and when it would give up), or undefined when it starts. */
  async check(t: SimTask, now: number): Promise<StartFailure | undefined> {
    const at = (awsSeconds: number) => t.createdAt + this.world.scaled(awsSeconds);
    const fail = (awsSeconds: number, reason: string): StartFailure => ({ at: at(awsSeconds), stopCode: "TaskFailedToStart", reason });
    const region = this.world.config.region;

    // 1. Roles (ECS assumes them while provisioning).
    for (const roleArn of [t.td.executionRoleArn, t.td.taskRoleArn]) {
      if (!roleArn) continue;
      const problem = await this.assumable(roleArn, now);
      if (problem) return fail(AWS_SECONDS.assumeRole, problem);
    }

    // 2. Secrets (fetched with the execution role before the image is pulled).
    const secrets = t.td.containers.flatMap((c) => c.secrets);
    const subnet = await this.vpc.subnet(t.subnetId);
    const endpoints = subnet ? await this.vpc.endpoints(subnet.vpcId) : new Set<string>();
    const internet = subnet?.defaultRoute?.kind === "nat" || (subnet?.defaultRoute?.kind === "igw" && t.network.assignPublicIp);
    const reaches = (service: string) => internet || endpoints.has(`com.amazonaws.${region}.${service}`);
    const timeout = (host: string) => `dial tcp ${awsIpFor(host)}:443: i/o timeout`;
    const execDocs = t.td.executionRoleArn ? await this.policies(t.td.executionRoleArn) : undefined;
    const roleName = (t.td.executionRoleArn ?? "").split("/").pop() ?? "";
    const denied = (action: string, resource: string) =>
      `AccessDeniedException: User: arn:aws:sts::${ACCOUNT}:assumed-role/${roleName}/${t.id} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
    const SECRETS = "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed:";

    for (const s of secrets) {
      const sm = SECRET_ARN.exec(s.valueFrom);
      if (sm) {
        const secretId = sm[1] ?? s.valueFrom;
        const asm = `${SECRETS} unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret ${secretId} from secrets manager:`;
        if (!reaches("secretsmanager")) {
          return fail(
            AWS_SECONDS.ecsGiveUp,
            `${SECRETS} unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret ${secretId} from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded (Post "https://secretsmanager.${region}.amazonaws.com/": ${timeout(`secretsmanager.${region}.amazonaws.com`)})`,
          );
        }
        if (!execDocs)
          return fail(
            AWS_SECONDS.secretsFetch,
            `${asm} ${denied("secretsmanager:GetSecretValue", secretId)} (the task definition has no execution role)`,
          );
        const d = await this.c.sm.send(new DescribeSecretCommand({ SecretId: secretId })).catch(() => undefined);
        if (!d?.ARN)
          return fail(AWS_SECONDS.secretsFetch, `${asm} ResourceNotFoundException: Secrets Manager can't find the specified secret.`);
        if (evaluate(execDocs, "secretsmanager:GetSecretValue", d.ARN) !== "allow") {
          return fail(AWS_SECONDS.secretsFetch, `${asm} ${denied("secretsmanager:GetSecretValue", d.ARN)}`);
        }
        if (d.DeletedDate) {
          return fail(
            AWS_SECONDS.secretsFetch,
            `${asm} InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion.`,
          );
        }
        const jsonKey = sm[4];
        if (jsonKey) {
          const v = await this.c.sm
            .send(new GetSecretValueCommand({ SecretId: d.ARN, VersionStage: sm[5] || undefined, VersionId: sm[6] || undefined }))
            .catch(() => undefined);
          let has = false;
          try {
            has = v?.SecretString !== undefined && jsonKey in (JSON.parse(v.SecretString) as Record<string, unknown>);
          } catch {
            has = false;
          }
          if (!has)
            return fail(AWS_SECONDS.secretsFetch, `${SECRETS} retrieved secret from Secrets Manager did not contain json key ${jsonKey}`);
        }
        continue;
      }
      // Anything else is an SSM Parameter Store parameter: its ARN, or its name (in the task's Region).
      const ssmArn = SSM_ARN.exec(s.valueFrom);
      const name = ssmArn ? (ssmArn[3] ?? "") : s.valueFrom;
      const paramArn = ssmArn ? s.valueFrom : `arn:aws:ssm:${region}:${ACCOUNT}:parameter${name.startsWith("/") ? "" : "/"}${name}`;
      const ssm = `${SECRETS} unable to retrieve secrets from ssm: service call has been retried 1 time(s):`;
      if (!reaches("ssm")) {
        return fail(
          AWS_SECONDS.ecsGiveUp,
          `${SECRETS} unable to retrieve secrets from ssm: service call has been retried 5 time(s): RequestCanceled: request context canceled caused by: context deadline exceeded (Post "https://ssm.${region}.amazonaws.com/": ${timeout(`ssm.${region}.amazonaws.com`)})`,
        );
      }
      if (!execDocs)
        return fail(
          AWS_SECONDS.secretsFetch,
          `${ssm} ${denied("ssm:GetParameters", paramArn)} (the task definition has no execution role)`,
        );
      if (evaluate(execDocs, "ssm:GetParameters", paramArn) !== "allow")
        return fail(AWS_SECONDS.secretsFetch, `${ssm} ${denied("ssm:GetParameters", paramArn)}`);
      const p = await this.c.ssm.send(new GetParameterCommand({ Name: ssmArn ? s.valueFrom : name })).catch(() => undefined);
      if (!p?.Parameter) return fail(AWS_SECONDS.secretsFetch, `${ssm} invalid parameters: ${name}`);
    }

    // 3. Image pull and logs (after the secrets).
    for (const c of t.td.containers) {
      const reg = registryOf(c.image);
      if (reg.kind === "ecr") {
        if (!(reaches("ecr.api") && reaches("ecr.dkr") && (internet || endpoints.has(`com.amazonaws.${region}.s3`)))) {
          return fail(
            AWS_SECONDS.ecsGiveUp,
            `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${c.image}: failed to do request: Head "https://${reg.host}/v2/": ${timeout(reg.host)}`,
          );
        }
      } else if (!internet) {
        // Interface endpoints reach AWS services only: Docker Hub and other public registries need a NAT or public IP.
        return fail(
          AWS_SECONDS.ecsGiveUp,
          `CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref ${reg.ref}: failed to do request: Head "https://${reg.host}/v2/": ${timeout(reg.host)}`,
        );
      }
      if (c.logGroup && !reaches("logs")) {
        return fail(
          AWS_SECONDS.ecsGiveUp,
          `ResourceInitializationError: failed to validate logger args: create stream has been retried 5 times: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post "https://logs.${region}.amazonaws.com/": ${timeout(`logs.${region}.amazonaws.com`)}`,
        );
      }
    }
    return undefined;
  }

  /** Why ECS cannot assume the role yet (or at all), or undefined. */
  private async assumable(roleArn: string, now: number): Promise<string | undefined> {
    const unable = `ECS was unable to assume the role '${roleArn}' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.`;
    const name = roleArn.split("/").pop() ?? roleArn;
    const role = (await this.c.iam.send(new GetRoleCommand({ RoleName: name })).catch(() => undefined))?.Role;
    if (!role) return unable;
    if (!trusts(parsePolicyDocument(role.AssumeRolePolicyDocument), "ecs-tasks.amazonaws.com")) return unable;
    const created = role.CreateDate?.getTime();
    if (created !== undefined && now - created < iamPropagationMs(this.world)) return unable;
    return undefined;
  }

  /** The role's identity-based policies: attached managed ones (default version) and inline ones. */
  private async policies(roleArn: string): Promise<PolicyDocument[]> {
    const name = roleArn.split("/").pop() ?? roleArn;
    const docs: PolicyDocument[] = [];
    const attached = await this.c.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: name })).catch(() => undefined);
    for (const p of attached?.AttachedPolicies ?? []) {
      if (!p.PolicyArn) continue;
      const pol = await this.c.iam.send(new GetPolicyCommand({ PolicyArn: p.PolicyArn })).catch(() => undefined);
      const version = pol?.Policy?.DefaultVersionId;
      if (!version) continue;
      const v = await this.c.iam.send(new GetPolicyVersionCommand({ PolicyArn: p.PolicyArn, VersionId: version })).catch(() => undefined);
      docs.push(parsePolicyDocument(v?.PolicyVersion?.Document));
    }
    const inline = await this.c.iam.send(new ListRolePoliciesCommand({ RoleName: name })).catch(() => undefined);
    for (const policyName of inline?.PolicyNames ?? []) {
      const r = await this.c.iam.send(new GetRolePolicyCommand({ RoleName: name, PolicyName: policyName })).catch(() => undefined);
      docs.push(parsePolicyDocument(r?.PolicyDocument));
    }
    return docs;
  }
}

/**
 * How long a new role cannot be assumed: ~10 AWS seconds scaled, but at least two simulator ticks so the window is
 * observable at fast test time scales.
 */
export function iamPropagationMs(world: World): number {
  return Math.max(world.scaled(AWS_SECONDS.iamPropagation), 2 * world.config.tickMs);
}

/** A stable public-looking address for an AWS/registry host in error texts (the real one varies). */
function awsIpFor(host: string): string {
  let h = 0;
  for (const ch of host) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return `52.${(h >>> 16) & 255}.${(h >>> 8) & 255}.${h & 255}`;
}
