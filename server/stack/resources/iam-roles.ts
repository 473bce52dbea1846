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

// The seed's two roles, tightened:
// - prefect-ecs-execution-<env>: AmazonECSTaskExecutionRolePolicy (pull image, write logs) + an inline policy that may
//   read exactly the secrets the task definitions reference, by their full ARNs (the secret steps' outputs) — the
//   ECS agent resolves `secrets` with this role; not the password secret, which no container reads.
// - prefect-ecs-task-<env>: what the containers may do. The worker submits flow runs as ECS tasks: ecs:RunTask and
//   friends, plus iam:PassRole limited to this stack's two roles and to ecs-tasks.amazonaws.com.

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

/** The secret steps whose values reach a container through ECS `secrets` (task-definitions.ts). */
export const CONTAINER_SECRETS = ["secret-db-url", "secret-api-auth"] as const;

export function secretsReadPolicy(ctx: StackContext, refs: Refs) {
  const arns = CONTAINER_SECRETS.filter((k) => k !== "secret-api-auth" || ctx.spec.basicAuth).map((k) => ref(refs, k, "arn"));
  return {
    Version: "2012-10-17",
    Statement: [{ Sid: "ReadStackSecrets", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: arns }],
  };
}

export function workerPolicy(ctx: StackContext) {
  const roleArn = (name: string) => `arn:${ctx.partition}:iam::${ctx.account}:role/${name}`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "RunFlowRunTasks",
        Effect: "Allow",
        Action: [
          "ecs:RunTask",
          "ecs:StopTask",
          "ecs:DescribeTasks",
          "ecs:ListTasks",
          "ecs:RegisterTaskDefinition",
          "ecs:DeregisterTaskDefinition",
          "ecs:DescribeTaskDefinition",
          "ecs:ListTaskDefinitions",
          "ecs:TagResource",
        ],
        Resource: "*",
      },
      {
        Sid: "DescribeNetwork",
        Effect: "Allow",
        Action: ["ec2:DescribeSubnets", "ec2:DescribeVpcs", "ec2:DescribeSecurityGroups"],
        Resource: "*",
      },
      {
        Sid: "ReadFlowRunLogs",
        Effect: "Allow",
        Action: ["logs:GetLogEvents", "logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${arnPrefix(ctx, "logs")}:log-group:${ctx.names.logGroup}:*`,
      },
      {
        Sid: "PassStackRoles",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: [roleArn(ctx.names.executionRole), roleArn(ctx.names.taskRole)],
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    ],
  };
}

function role(opts: {
  key: string;
  name: (ctx: StackContext) => string;
  description: string;
  managed: string[];
  dependsOn?: string[];
  inline: (ctx: StackContext, refs: Refs) => Record<string, unknown>;
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
  description: "Prefect ECS task role: the worker runs flow runs as ECS tasks",
  managed: [],
  inline: (ctx) => ({ "prefect-worker-run-tasks": workerPolicy(ctx) }),
});
