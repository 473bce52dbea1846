import "server-only";
import { createHash } from "node:crypto";
import type { RegisterTaskDefinitionCommandInput } from "@aws-sdk/client-ecs";
import { stackTags } from "@/lib/names";
import { workerApiUrl } from "@/lib/stack-names";
import { describeTasks, listTaskArns, registerTaskDefinition, runTask } from "@/server/aws/ecs";
import { TerminalError, type StackContext } from "../types";

// Work pools when the console cannot reach the Prefect API (an internal ALB, the console outside the VPC): a one-off
// ECS task with the server's image runs the Prefect CLI on the stack's network (private subnets, tasks' group, the
// in-VPC API URL the worker uses), creates the pools, and exits. Level-based like everything else: the task is
// started with `startedBy = console-pools-<fingerprint of the wanted pools>`, so the next observe finds the stopped
// task (ECS lists stopped tasks for at least an hour) and knows whether those exact pools were applied.
//   aws ecs run-task --cluster prefect-<env> --task-definition prefect-pools-<env> --launch-type FARGATE \
//     --network-configuration 'awsvpcConfiguration={subnets=[…],securityGroups=[sg-tasks],assignPublicIp=DISABLED}' \
//     --started-by console-pools-<hash>

export interface PoolSpec {
  name: string;
  type: string;
  template?: unknown;
}

/** Everything the task needs from the stack's other resources (ARNs and ids from the apply's refs). */
export interface InVpcRefs {
  executionRoleArn: string;
  taskRoleArn: string;
  securityGroupId: string;
  authSecretArn?: string;
}

const STARTED_BY = "console-pools-";
const TEMPLATE_VAR = "PREFECT_POOL_TEMPLATE";
const TEMPLATE_FILE = "/tmp/pool-template.json";

export const poolTaskFamily = (ctx: StackContext) => `prefect-pools-${ctx.env}`;

export function poolsFingerprint(pools: PoolSpec[]): string {
  return createHash("sha256").update(JSON.stringify(pools)).digest("hex").slice(0, 16);
}

/**
 * The CLI script: the `default` process pool and any pool without a template are created only when missing (the
 * user may have changed them since); a pool with a template is created or overwritten with it.
 */
export function poolScript(pools: PoolSpec[]): string {
  const steps: string[] = [];
  const withTemplate = pools.filter((p) => p.template);
  if (withTemplate.length > 1) throw new Error("poolScript: at most one pool with a template");
  if (withTemplate.length) steps.push(`printf %s "$${TEMPLATE_VAR}" > ${TEMPLATE_FILE}`);
  for (const p of pools)
    steps.push(
      p.template
        ? `prefect work-pool create ${p.name} --type ${p.type} --base-job-template ${TEMPLATE_FILE} --overwrite`
        : `(prefect work-pool inspect ${p.name} >/dev/null 2>&1 || prefect work-pool create ${p.name} --type ${p.type})`,
    );
  return steps.join(" && ");
}

/** The one-off task's definition (pure: golden-file tested). Pool names are letters, digits, - and _ (the spec). */
export function poolTaskDefinition(ctx: StackContext, pools: PoolSpec[], refs: InVpcRefs): RegisterTaskDefinitionCommandInput {
  const template = pools.find((p) => p.template)?.template;
  return {
    family: poolTaskFamily(ctx),
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "256",
    memory: "512",
    executionRoleArn: refs.executionRoleArn,
    taskRoleArn: refs.taskRoleArn,
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
    containerDefinitions: [
      {
        name: "prefect-cli",
        image: ctx.spec.prefectImage,
        essential: true,
        command: ["/bin/sh", "-c", poolScript(pools)],
        memoryReservation: 512,
        environment: [
          { name: "PREFECT_API_URL", value: workerApiUrl(ctx.env) },
          // ARNs, ids and names only: the template holds no secret (the auth secret is referenced by ARN).
          ...(template ? [{ name: TEMPLATE_VAR, value: JSON.stringify(template) }] : []),
        ],
        secrets: refs.authSecretArn ? [{ name: "PREFECT_API_AUTH_STRING", valueFrom: refs.authSecretArn }] : [],
        logConfiguration: {
          logDriver: "awslogs",
          options: { "awslogs-group": ctx.names.logGroup, "awslogs-region": ctx.region, "awslogs-stream-prefix": "pools" },
        },
      },
    ],
    tags: Object.entries(stackTags(ctx.env, "prefect-pools")).map(([key, value]) => ({ key, value })),
  };
}

export interface PoolTaskResult {
  taskId: string;
  fingerprint: string;
  succeeded: boolean;
  reason: string;
}

/** The most recent stopped pool task of this stack, if ECS still lists one. */
export async function lastPoolTask(ctx: StackContext): Promise<PoolTaskResult | undefined> {
  const arns = await listTaskArns(ctx.region, ctx.names.cluster, {
    desiredStatus: "STOPPED",
    family: poolTaskFamily(ctx),
    maxPages: 1,
  }).catch(() => [] as string[]);
  const tasks = (await describeTasks(ctx.region, ctx.names.cluster, arns)).filter((t) => t.startedBy?.startsWith(STARTED_BY));
  const last = tasks.sort((a, b) => (b.stoppedAt?.getTime() ?? 0) - (a.stoppedAt?.getTime() ?? 0))[0];
  return last ? resultOf(last) : undefined;
}

function resultOf(t: Awaited<ReturnType<typeof describeTasks>>[number]): PoolTaskResult {
  const exit = t.containers?.[0]?.exitCode;
  return {
    taskId: t.taskArn?.split("/").pop() ?? "",
    fingerprint: t.startedBy?.slice(STARTED_BY.length) ?? "",
    succeeded: exit === 0,
    reason: t.stoppedReason ?? t.containers?.[0]?.reason ?? `exit code ${exit ?? "unknown"}`,
  };
}

export interface PoolTaskTiming {
  pollMs: number;
  timeoutMs: number;
}

/** Register the task definition, run the task on the stack's network, wait for it to stop; throws unless it exited 0. */
export async function runPoolTask(
  ctx: StackContext,
  pools: PoolSpec[],
  refs: InVpcRefs,
  timing: PoolTaskTiming = { pollMs: 2_000, timeoutMs: 15 * 60_000 },
): Promise<PoolTaskResult> {
  const td = await registerTaskDefinition(ctx.region, poolTaskDefinition(ctx, pools, refs));
  const fingerprint = poolsFingerprint(pools);
  const task = await runTask(ctx.region, {
    cluster: ctx.names.cluster,
    taskDefinition: td,
    launchType: "FARGATE",
    platformVersion: "LATEST",
    count: 1,
    startedBy: `${STARTED_BY}${fingerprint}`,
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [...ctx.spec.privateSubnetIds].sort(),
        securityGroups: [refs.securityGroupId],
        assignPublicIp: "DISABLED",
      },
    },
    enableECSManagedTags: true,
    propagateTags: "TASK_DEFINITION",
  });
  const deadline = Date.now() + timing.timeoutMs;
  for (;;) {
    const [now] = await describeTasks(ctx.region, ctx.names.cluster, [task.taskArn ?? ""]);
    if (now?.lastStatus === "STOPPED") {
      const r = resultOf(now);
      if (!r.succeeded)
        throw new TerminalError(
          `The one-off task ${r.taskId} that creates the work pools from inside the VPC failed (${r.reason}). Its output is in the log group ${ctx.names.logGroup}, stream prefix pools/.`,
        );
      return r;
    }
    if (Date.now() > deadline)
      throw new TerminalError(
        `The one-off work-pool task ${task.taskArn?.split("/").pop()} did not finish within ${timing.timeoutMs / 60_000} minutes.`,
      );
    await new Promise((r) => setTimeout(r, timing.pollMs));
  }
}
