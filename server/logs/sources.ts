import "server-only";
import { describeTaskDefinition, describeTasks, listTaskArns } from "@/server/aws/ecs";
import { describeLogStreams } from "@/server/aws/logs";
import { NotFoundError } from "@/server/errors";
import { stackNames } from "@/lib/names";
import type { LogSourceKind } from "@/lib/logs";

// What a viewer asked to see, resolved to CloudWatch terms: a log group plus either a stream-name prefix
// (server / worker: every task of the service, including tasks that start while we watch) or exact stream
// names (one task). A task's stream is derived from its task definition's awslogs options —
// `<awslogs-stream-prefix>/<container name>/<task id>` — never guessed as "the first stream".

export interface ResolvedSource {
  /** Registry key part: identical for every viewer of the same thing. */
  key: string;
  label: string;
  region: string;
  logGroupName: string;
  /** Every stream whose name starts with this (server/worker). */
  streamPrefix?: string;
  /** Exactly these streams (one task: one per container that logs with awslogs). */
  streams?: string[];
}

export async function resolveSource(
  stack: { env: string; region: string },
  q: { source: LogSourceKind; task?: string },
): Promise<ResolvedSource> {
  const n = stackNames(stack.env);
  const base = { region: stack.region, logGroupName: n.logGroup };
  switch (q.source) {
    case "all":
      return { ...base, key: `all`, label: "All streams" };
    case "server":
      return { ...base, key: `prefix:${n.serverLogPrefix}/`, label: "Server", streamPrefix: `${n.serverLogPrefix}/` };
    case "worker":
      return { ...base, key: `prefix:${n.workerLogPrefix}/`, label: "Worker", streamPrefix: `${n.workerLogPrefix}/` };
    case "task": {
      if (!q.task) throw new NotFoundError("Pick a task.");
      return resolveTaskSource(stack, q.task);
    }
  }
}

// Task definitions are immutable per revision: cache them (bounded) so opening a task's logs costs one DescribeTasks.
const taskDefCache = new Map<string, { group?: string; prefix?: string; container: string }[]>();

async function awslogsContainers(region: string, taskDefinitionArn: string) {
  const hit = taskDefCache.get(taskDefinitionArn);
  if (hit) return hit;
  const td = await describeTaskDefinition(region, taskDefinitionArn);
  const list = (td.containerDefinitions ?? [])
    .filter((c) => c.name && c.logConfiguration?.logDriver === "awslogs")
    .map((c) => ({
      container: c.name!,
      group: c.logConfiguration?.options?.["awslogs-group"],
      prefix: c.logConfiguration?.options?.["awslogs-stream-prefix"],
    }));
  if (taskDefCache.size > 200) taskDefCache.clear();
  taskDefCache.set(taskDefinitionArn, list);
  return list;
}

// aws ecs describe-tasks --cluster prefect-<env> --tasks <id>  → taskDefinitionArn
// aws ecs describe-task-definition --task-definition <arn>      → containers' awslogs-group / awslogs-stream-prefix
async function resolveTaskSource(stack: { env: string; region: string }, taskId: string): Promise<ResolvedSource> {
  const n = stackNames(stack.env);
  const [task] = await describeTasks(stack.region, n.cluster, [taskId]);
  if (!task?.taskDefinitionArn)
    throw new NotFoundError(`Task ${taskId} is not a task of cluster ${n.cluster} (ECS keeps stopped tasks for about an hour).`);
  const containers = await awslogsContainers(stack.region, task.taskDefinitionArn);
  // Without awslogs-stream-prefix, the awslogs driver names the stream by the container id, which we can't derive.
  const usable = containers.filter((c) => c.prefix);
  if (usable.length === 0) throw new NotFoundError(`Task ${taskId}'s containers don't log to CloudWatch with an awslogs-stream-prefix.`);
  const group = usable[0]!.group ?? n.logGroup;
  const streams = usable.filter((c) => (c.group ?? n.logGroup) === group).map((c) => `${c.prefix}/${c.container}/${taskId}`);
  return { key: `task:${taskId}`, label: `Task ${taskId.slice(0, 8)}`, region: stack.region, logGroupName: group, streams };
}

/**
 * The stream names to query for a source: undefined = the whole group. Prefix sources list the group's streams
 * (moto ignores FilterLogEvents' logStreamNamePrefix, and names work the same on AWS) and keep the 100 most recently
 * active — FilterLogEvents takes at most 100 names. lastEventTimestamp is eventually consistent on AWS, so the
 * creation time counts too: a task that just started is never left out.
 */
export async function streamNamesFor(src: ResolvedSource): Promise<string[] | undefined> {
  if (src.streams) return src.streams;
  if (!src.streamPrefix) return undefined;
  const streams = await describeLogStreams(src.region, src.logGroupName, { prefix: src.streamPrefix, maxPages: 20 });
  return streams
    .sort((a, b) => Math.max(b.lastEventAt ?? 0, b.createdAt) - Math.max(a.lastEventAt ?? 0, a.createdAt))
    .slice(0, 100)
    .map((s) => s.name);
}

export interface TaskChoice {
  taskId: string;
  service: string;
  lastStatus: string;
  startedAt: number | undefined;
}

/** Running tasks plus the first page of recently stopped ones, for the "one task" picker. */
export async function listTaskChoices(stack: { env: string; region: string }): Promise<TaskChoice[]> {
  const n = stackNames(stack.env);
  const [running, stopped] = await Promise.all([
    listTaskArns(stack.region, n.cluster, { desiredStatus: "RUNNING", maxPages: 2 }),
    listTaskArns(stack.region, n.cluster, { desiredStatus: "STOPPED", maxPages: 1 }),
  ]);
  const tasks = await describeTasks(stack.region, n.cluster, [...running, ...stopped].slice(0, 200));
  return tasks
    .filter((t) => t.taskArn)
    .map((t) => ({
      taskId: t.taskArn!.split("/").pop()!,
      service: (t.group ?? "").replace(/^service:/, "") || "standalone",
      lastStatus: t.lastStatus ?? "UNKNOWN",
      startedAt: (t.startedAt ?? t.createdAt)?.getTime(),
    }))
    .sort((a, b) => (a.lastStatus === "RUNNING" ? 0 : 1) - (b.lastStatus === "RUNNING" ? 0 : 1) || (b.startedAt ?? 0) - (a.startedAt ?? 0));
}
