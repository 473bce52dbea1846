import "server-only";
import { stackTags } from "@/lib/names";
import {
  attachPolicy,
  createRole,
  deleteInlinePolicy,
  deleteRole,
  detachPolicy,
  findRole,
  putInlinePolicy,
  updateTrust,
  type RoleState,
} from "@/server/aws/iam";
import type { FieldChange } from "@/lib/plan";
import { defineResource, diffOf, ref, same, setChange, type Refs, type StackContext } from "../types";

// Five roles, each with only what its holder needs (least privilege):
// - prefect-ecs-execution-<env> (seed): the ECS agent starting the server and worker: AmazonECSTaskExecutionRolePolicy
//   (pull image, write logs) + read exactly the secrets the task definitions reference, by their full ARNs (the
//   secret steps' outputs); not the password secret, which no container reads.
// - prefect-ecs-task-<env> (seed): the Prefect server's task role. The server calls no AWS API: no permissions.
// - prefect-ecs-worker-<env>: the worker's task role. It submits flow runs as ECS tasks, only in this stack's
//   cluster (`ecs:cluster` condition; RunTask, StopTask and DescribeTasks support it — Service Authorization
//   Reference, "Actions, resources, and condition keys for Amazon Elastic Container Service"), and may pass only the
//   two flow-run roles, only to ECS tasks (`iam:PassedToService`).
// - prefect-flow-execution-<env>: the ECS agent starting a flow run: pull the image (ECR or a public registry), write
//   logs to the stack's group under the `flow-runs/` prefix. It may NOT read the database secrets; with basic auth
//   it reads the API auth secret only (the worker hands it to flow runs as a secret, not as plain environment).
// - prefect-flow-task-<env>: what flow-run code may do in AWS. Empty: the user extends it (S3, …).

const TRUST = {
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
};

const EXECUTION_MANAGED = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy";

export interface RoleDesired {
  RoleName: string;
  Description: string;
  AssumeRolePolicyDocument: typeof TRUST;
  ManagedPolicyArns: string[];
  InlinePolicies: Record<string, unknown>;
  Tags: Record<string, string>;
}

const arnPrefix = (ctx: StackContext, service: string) => `arn:${ctx.partition}:${service}:${ctx.region}:${ctx.account}`;
export const roleArn = (ctx: StackContext, name: string) => `arn:${ctx.partition}:iam::${ctx.account}:role/${name}`;
const logGroupArn = (ctx: StackContext) => `${arnPrefix(ctx, "logs")}:log-group:${ctx.names.logGroup}`;

/** The secret steps whose values reach a container through ECS `secrets` (task-definitions.ts). */
export const CONTAINER_SECRETS = ["secret-db-url", "secret-api-auth"] as const;

export function secretsReadPolicy(ctx: StackContext, refs: Refs) {
  const arns = CONTAINER_SECRETS.filter((k) => k !== "secret-api-auth" || ctx.spec.basicAuth).map((k) => ref(refs, k, "arn"));
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "ReadStackSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns }],
  };
}

/** The worker's task role: run flow runs as ECS tasks in this stack's cluster only. */
export function workerPolicy(ctx: StackContext) {
  const clusterArn = `${arnPrefix(ctx, "ecs")}:cluster/${ctx.names.cluster}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "RunFlowRunTasksInStackCluster",
        Effect: "Allow",
        Action: ["ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks"],
        Resource: "*",
        Condition: { ArnEquals: { "ecs:cluster": clusterArn } },
      },
      {
        // Task definitions belong to no cluster; these actions take no cluster condition.
        Sid: "FlowRunTaskDefinitions",
        Effect: "Allow",
        Action: ["ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:ListTaskDefinitions"],
        Resource: "*",
      },
      {
        // The worker tags flow-run tasks with the flow run's labels: tagging only as part of creating them.
        Sid: "TagOnCreate",
        Effect: "Allow",
        Action: "ecs:TagResource",
        Resource: "*",
        Condition: { StringEquals: { "ecs:CreateAction": ["RunTask", "RegisterTaskDefinition"] } },
      },
      {
        // prefect-aws checks the work pool's vpc_id and subnets before each RunTask.
        Sid: "DescribeNetwork",
        Effect: "Allow",
        Action: ["ec2:DescribeVpcs", "ec2:DescribeSubnets"],
        Resource: "*",
      },
      {
        Sid: "PassFlowRunRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [roleArn(ctx, ctx.names.flowRunExecutionRole), roleArn(ctx, ctx.names.flowRunTaskRole)],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    ],
  };
}

/** The flow-run execution role: pull the image, write logs under `flow-runs/`; with basic auth, read that one secret. */
export function flowRunExecutionPolicy(ctx: StackContext, refs: Refs) {
  const authSecret = ctx.spec.basicAuth ? ref(refs, "secret-api-auth", "arn") : undefined;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PullImages",
        Effect: "Allow",
        Action: ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"],
        Resource: "*",
      },
      {
        Sid: "CreateFlowRunLogStreams",
        Effect: "Allow",
        Action: "logs:CreateLogStream",
        Resource: `${logGroupArn(ctx)}:*`,
      },
      {
        Sid: "WriteFlowRunLogs",
        Effect: "Allow",
        Action: "logs:PutLogEvents",
        Resource: `${logGroupArn(ctx)}:log-stream:${ctx.names.flowRunLogPrefix}/*`,
      },
      ...(authSecret ? [{ Sid: "ReadApiAuthSecret", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: authSecret }] : []),
    ],
  };
}

function role(opts: {
  key: string;
  name: (ctx: StackContext) => string;
  description: string;
  managed: string[];
  inline: (ctx: StackContext, refs: Refs) => Record<string, unknown>;
  dependsOn?: string[];
}) {
  return defineResource<RoleDesired, RoleState>({
    key: opts.key,
    kind: "IAM role",
    group: "identity",
    dependsOn: opts.dependsOn ?? [],
    name: opts.name,
    desired: (ctx, refs) => ({
      RoleName: opts.name(ctx),
      Description: opts.description,
      AssumeRolePolicyDocument: TRUST,
      ManagedPolicyArns: opts.managed,
      InlinePolicies: opts.inline(ctx, refs),
      Tags: stackTags(ctx.env, "ecs"),
    }),
    observe: (ctx) => findRole(ctx.region, opts.name(ctx)),
    diff: (d, o) => {
      const changes: (FieldChange | undefined)[] = [
        same(d.AssumeRolePolicyDocument, o.trust) ? undefined : { field: "trust policy", to: "ecs-tasks.amazonaws.com" },
        setChange("managed policies", d.ManagedPolicyArns, o.managedPolicyArns),
        setChange("inline policies", Object.keys(d.InlinePolicies), Object.keys(o.inline)),
        ...Object.entries(d.InlinePolicies).map(([name, doc]) =>
          o.inline[name] === undefined || same(doc, o.inline[name]) ? undefined : { field: `policy ${name}`, to: "updated statements" },
        ),
      ];
      return diffOf(changes);
    },
    create: async (ctx, d) => {
      await createRole(ctx.region, { name: d.RoleName, description: d.Description, trust: d.AssumeRolePolicyDocument, tags: d.Tags });
      for (const arn of d.ManagedPolicyArns) await attachPolicy(ctx.region, d.RoleName, arn);
      for (const [name, doc] of Object.entries(d.InlinePolicies)) await putInlinePolicy(ctx.region, d.RoleName, name, doc);
    },
    update: async (ctx, d, o) => {
      if (!same(d.AssumeRolePolicyDocument, o.trust)) await updateTrust(ctx.region, d.RoleName, d.AssumeRolePolicyDocument);
      for (const arn of d.ManagedPolicyArns) if (!o.managedPolicyArns.includes(arn)) await attachPolicy(ctx.region, d.RoleName, arn);
      for (const arn of o.managedPolicyArns) if (!d.ManagedPolicyArns.includes(arn)) await detachPolicy(ctx.region, d.RoleName, arn);
      for (const [name, doc] of Object.entries(d.InlinePolicies))
        if (!same(doc, o.inline[name])) await putInlinePolicy(ctx.region, d.RoleName, name, doc);
      for (const name of Object.keys(o.inline)) if (!(name in d.InlinePolicies)) await deleteInlinePolicy(ctx.region, d.RoleName, name);
    },
    delete: async (ctx, o) => {
      const name = o.role.RoleName ?? "";
      for (const arn of o.managedPolicyArns) await detachPolicy(ctx.region, name, arn);
      for (const p of Object.keys(o.inline)) await deleteInlinePolicy(ctx.region, name, p);
      await deleteRole(ctx.region, name);
    },
    ready: () => true,
    outputs: (o) => ({ arn: o.role.Arn ?? "", name: o.role.RoleName ?? "" }),
  });
}

export const executionRole = role({
  key: "role-execution",
  name: (ctx) => ctx.names.executionRole,
  description: "Prefect ECS task execution role: pull images, write logs, read this stack's secrets",
  managed: [EXECUTION_MANAGED],
  dependsOn: [...CONTAINER_SECRETS],
  inline: (ctx, refs) => ({ "prefect-read-stack-secrets": secretsReadPolicy(ctx, refs) }),
});

export const taskRole = role({
  key: "role-task",
  name: (ctx) => ctx.names.taskRole,
  description: "Prefect server task role: no permissions (the server calls no AWS API)",
  managed: [],
  inline: () => ({}),
});

export const workerRole = role({
  key: "role-worker",
  name: (ctx) => ctx.names.workerRole,
  description: "Prefect worker task role: runs flow runs as ECS tasks in this stack's cluster",
  managed: [],
  inline: (ctx) => ({ "prefect-worker-run-flow-runs": workerPolicy(ctx) }),
});

export const flowRunExecutionRole = role({
  key: "role-flow-execution",
  name: (ctx) => ctx.names.flowRunExecutionRole,
  description: "Prefect flow-run execution role: pull the image, write flow-run logs; no stack secrets",
  managed: [],
  inline: (ctx, refs) => ({ "prefect-flow-run-start": flowRunExecutionPolicy(ctx, refs) }),
  dependsOn: ["secret-api-auth"],
});

export const flowRunTaskRole = role({
  key: "role-flow-task",
  name: (ctx) => ctx.names.flowRunTaskRole,
  description: "Prefect flow-run task role: empty, extend it with what your flows need",
  managed: [],
  inline: () => ({}),
});
