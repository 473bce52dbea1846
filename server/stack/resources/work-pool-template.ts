import "server-only";
import { PREFECT_IMAGE } from "@/lib/versions";
import { ref, type Refs, type StackContext } from "../types";

// The base job template of the stack's `ecs` work pool: where flow runs go. Without it a flow run launches into the
// account's `default` cluster and default VPC with a public IP — or fails (AWS-RULES.md, "Prefect on top").
//
// The shape is prefect-aws's interface (src/integrations/prefect-aws, prefect_aws/workers/ecs_worker.py,
// `ECSJobConfiguration` and `ECSVariables`, in the pinned release lib/versions.ts names): `job_configuration` maps
// each job field to a `{{ variable }}` placeholder, and `variables` is a JSON schema whose `default`s the worker
// uses when a deployment does not override them. The defaults target this stack:
// - cluster, vpc_id, network_configuration (the awsvpcConfiguration: private subnets, the tasks' security group —
//   which admits 4200 from itself, so flow runs reach the server as the worker does — and no public IP);
// - execution_role_arn / task_role_arn: the two flow-run roles (iam-roles.ts), never the server's or the worker's;
// - CloudWatch logs in the stack's log group under the `flow-runs` stream prefix (the group exists; the
//   execution role may not create groups, so `awslogs-create-group` is off);
// - with basic auth, prefect_api_auth_string_secret_arn: flow runs get the credential as an ECS secret, not as a
//   plain environment variable copied from the worker.

/** The container prefect-aws runs the flow in (its default name). */
const CONTAINER = "prefect";
const FLOW_RUN_CPU = 1024;
const FLOW_RUN_MEMORY = 2048;

type JsonSchema = Record<string, unknown>;

const placeholder = (name: string) => `{{ ${name} }}`;

function jobConfiguration(): Record<string, unknown> {
  return {
    command: placeholder("command"),
    env: placeholder("env"),
    labels: placeholder("labels"),
    name: placeholder("name"),
    task_definition: {
      containerDefinitions: [{ image: placeholder("image"), name: placeholder("container_name") }],
      cpu: placeholder("cpu"),
      family: placeholder("family"),
      memory: placeholder("memory"),
      executionRoleArn: placeholder("execution_role_arn"),
    },
    task_run_request: {
      launchType: placeholder("launch_type"),
      cluster: placeholder("cluster"),
      overrides: {
        containerOverrides: [
          {
            name: placeholder("container_name"),
            command: placeholder("command"),
            environment: placeholder("env"),
            cpu: placeholder("cpu"),
            memory: placeholder("memory"),
          },
        ],
        cpu: placeholder("cpu"),
        memory: placeholder("memory"),
        taskRoleArn: placeholder("task_role_arn"),
      },
      tags: placeholder("labels"),
      taskDefinition: placeholder("task_definition_arn"),
      capacityProviderStrategy: placeholder("capacity_provider_strategy"),
    },
    configure_cloudwatch_logs: placeholder("configure_cloudwatch_logs"),
    cloudwatch_logs_options: placeholder("cloudwatch_logs_options"),
    cloudwatch_logs_prefix: placeholder("cloudwatch_logs_prefix"),
    network_configuration: placeholder("network_configuration"),
    auto_deregister_task_definition: placeholder("auto_deregister_task_definition"),
    vpc_id: placeholder("vpc_id"),
    container_name: placeholder("container_name"),
    cluster: placeholder("cluster"),
    match_latest_revision_in_family: placeholder("match_latest_revision_in_family"),
    prefect_api_auth_string_secret_arn: placeholder("prefect_api_auth_string_secret_arn"),
    execution_role_arn: placeholder("execution_role_arn"),
  };
}

const str = (title: string, description: string, def?: string): JsonSchema => ({
  type: "string",
  title,
  description,
  ...(def !== undefined ? { default: def } : {}),
});

/** The ECS work pool's base job template for this stack (pure: golden-file tested). */
export function ecsBaseJobTemplate(ctx: StackContext, refs: Refs): { job_configuration: Record<string, unknown>; variables: JsonSchema } {
  const authSecret = ctx.spec.basicAuth ? ref(refs, "secret-api-auth", "arn") : undefined;
  const properties: Record<string, JsonSchema> = {
    name: str("Name", "Name given to flow-run tasks."),
    env: {
      type: "object",
      title: "Environment Variables",
      description: "Environment variables for the flow-run container (plain text: put credentials in Secrets Manager).",
      additionalProperties: { type: "string" },
      default: {},
    },
    labels: { type: "object", title: "Labels", description: "Tags for the flow-run task.", additionalProperties: { type: "string" } },
    command: str("Command", "The command the flow-run container runs; the worker's default starts the flow run."),
    task_definition_arn: str("Task Definition ARN", "An existing task definition to use instead of registering one."),
    cluster: str("Cluster", `The ECS cluster flow runs start in (this stack's ${ctx.names.cluster}).`, ctx.names.cluster),
    family: str("Family", "Task definition family; generated from the flow and deployment names when empty."),
    launch_type: {
      type: "string",
      title: "Launch Type",
      enum: ["FARGATE", "EC2", "EXTERNAL", "FARGATE_SPOT"],
      default: "FARGATE",
    },
    capacity_provider_strategy: {
      type: "array",
      title: "Capacity Provider Strategy",
      items: { type: "object" },
      default: [],
    },
    image: str("Image", "The flow-run image (a pinned Prefect image by default; use your own with your code).", PREFECT_IMAGE),
    cpu: { type: "integer", title: "CPU", description: "Fargate CPU units.", default: FLOW_RUN_CPU },
    memory: { type: "integer", title: "Memory", description: "Fargate memory (MiB).", default: FLOW_RUN_MEMORY },
    container_name: str("Container Name", "The container the flow runs in.", CONTAINER),
    execution_role_arn: str(
      "Execution Role ARN",
      "The role ECS uses to start flow-run tasks: pull the image, write logs. It cannot read the stack's database secrets.",
      ref(refs, "role-flow-execution", "arn"),
    ),
    task_role_arn: str(
      "Task Role ARN",
      "The role flow-run code runs with. Empty by default: add what your flows need.",
      ref(refs, "role-flow-task", "arn"),
    ),
    vpc_id: str("VPC ID", "The VPC flow-run tasks run in (this stack's).", ctx.spec.vpcId),
    network_configuration: {
      type: "object",
      title: "Network Configuration",
      description: "awsvpcConfiguration of flow-run tasks: the stack's private subnets and tasks' security group, no public IP.",
      default: {
        subnets: [...ctx.spec.privateSubnetIds].sort(),
        securityGroups: [ref(refs, "sg-tasks", "groupId")],
        assignPublicIp: "DISABLED",
      },
    },
    configure_cloudwatch_logs: {
      type: "boolean",
      title: "Configure CloudWatch Logs",
      description: "Send flow-run output to CloudWatch Logs.",
      default: true,
    },
    cloudwatch_logs_options: {
      type: "object",
      title: "CloudWatch Logs Options",
      additionalProperties: { type: "string" },
      default: {
        "awslogs-group": ctx.names.logGroup,
        "awslogs-region": ctx.region,
        "awslogs-stream-prefix": ctx.names.flowRunLogPrefix,
        "awslogs-create-group": "false",
      },
    },
    cloudwatch_logs_prefix: str("CloudWatch Logs Prefix", "Ignored while cloudwatch_logs_options sets awslogs-stream-prefix."),
    auto_deregister_task_definition: { type: "boolean", title: "Auto Deregister Task Definition", default: false },
    match_latest_revision_in_family: { type: "boolean", title: "Match Latest Revision In Family", default: false },
    prefect_api_auth_string_secret_arn: str(
      "Prefect API Auth String Secret ARN",
      "The secret holding the API's basic-auth credential, injected into flow runs by ECS.",
      authSecret,
    ),
  };
  return { job_configuration: jobConfiguration(), variables: { type: "object", properties } };
}

/** JSON with sorted keys: Prefect's PostgreSQL stores the template as jsonb, which does not keep key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v && typeof v === "object")
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  return JSON.stringify(v);
}

/** The defaults a plan compares and shows: the values that decide where flow runs go (never secret values). */
export function templateDefaults(template: { variables?: unknown } | undefined): Record<string, string> {
  const props = (template?.variables as { properties?: Record<string, { default?: unknown }> } | undefined)?.properties ?? {};
  const out: Record<string, string> = {};
  for (const key of [
    "cluster",
    "vpc_id",
    "network_configuration",
    "execution_role_arn",
    "task_role_arn",
    "cloudwatch_logs_options",
    "configure_cloudwatch_logs",
    "image",
    "launch_type",
    "prefect_api_auth_string_secret_arn",
  ]) {
    const d = props[key]?.default;
    out[key] = d === undefined ? "" : typeof d === "string" ? d : canonical(d);
  }
  return out;
}
