import "server-only";
import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, TaskDefinition } from "@aws-sdk/client-ecs";
import { stackUrls, workerApiUrl } from "@/lib/stack-names";
import { stackTags } from "@/lib/names";
import { PREFECT_AWS_REQUIREMENT } from "@/lib/versions";
import { deregisterTaskDefinition, describeTaskDefinition, listTaskDefinitionArns, registerTaskDefinition } from "@/server/aws/ecs";
import type { FieldChange } from "@/lib/plan";
import { defineResource, ref, type Diff, type Refs, type StackContext } from "../types";

// The server and worker task definitions. Differences from the seed's ecs.tf, on purpose:
// - the database URL (with its password) reaches the container through ECS `secrets`, never through the plain
//   `environment` where the seed put it — anyone with ecs:DescribeTaskDefinition could read it there. `valueFrom` is
//   the secret's full ARN (the secret step's output): ECS reads a bare name as an SSM parameter name and the task
//   stops with ResourceInitializationError;
// - PREFECT_UI_API_URL points the UI at the load balancer's URL (the seed's UI would call localhost); the worker's
//   PREFECT_API_URL is the server's Cloud Map name inside the VPC;
// - the health check uses Python (the prefecthq/prefect images have no curl, so the seed's check always fails);
// - every container sets memoryReservation (a soft limit; harmless on AWS and required by the sandbox's RunTask).

const HEALTH_CMD =
  "python -c \"import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://localhost:4200/api/health', timeout=4).status == 200 else 1)\"";

function apiUrl(ctx: StackContext, refs: Refs): string {
  const dns = ref(refs, "alb", "dnsName");
  return stackUrls(ctx.spec, dns).api;
}

function logConfig(ctx: StackContext, prefix: string): ContainerDefinition["logConfiguration"] {
  return {
    logDriver: "awslogs",
    options: { "awslogs-group": ctx.names.logGroup, "awslogs-region": ctx.region, "awslogs-stream-prefix": prefix },
  };
}

/** The secrets' ARNs (from their steps' outputs), as ECS `secrets[].valueFrom` needs them. */
const secretArn = (refs: Refs, key: "secret-db-url" | "secret-api-auth") => ref(refs, key, "arn");

export function serverTaskDefinition(ctx: StackContext, refs: Refs): RegisterTaskDefinitionCommandInput {
  return {
    family: ctx.names.serverTaskFamily,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: String(ctx.spec.serverCpu),
    memory: String(ctx.spec.serverMemory),
    executionRoleArn: ref(refs, "role-execution", "arn"),
    taskRoleArn: ref(refs, "role-task", "arn"),
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
    containerDefinitions: [
      {
        name: ctx.names.serverContainer,
        image: ctx.spec.prefectImage,
        essential: true,
        command: ["prefect", "server", "start", "--host", "0.0.0.0"],
        memoryReservation: ctx.spec.serverMemory,
        environment: [
          { name: "PREFECT_SERVER_API_HOST", value: "0.0.0.0" },
          { name: "PREFECT_SERVER_API_PORT", value: "4200" },
          { name: "PREFECT_UI_API_URL", value: apiUrl(ctx, refs) },
        ],
        secrets: [
          { name: "PREFECT_API_DATABASE_CONNECTION_URL", valueFrom: secretArn(refs, "secret-db-url") },
          ...(ctx.spec.basicAuth ? [{ name: "PREFECT_SERVER_API_AUTH_STRING", valueFrom: secretArn(refs, "secret-api-auth") }] : []),
        ],
        portMappings: [{ containerPort: 4200, protocol: "tcp" }],
        logConfiguration: logConfig(ctx, ctx.names.serverLogPrefix),
        healthCheck: { command: ["CMD-SHELL", HEALTH_CMD], interval: 30, timeout: 5, retries: 3, startPeriod: 60 },
      },
    ],
    tags: Object.entries(stackTags(ctx.env, "prefect-server")).map(([key, value]) => ({ key, value })),
  };
}

export function workerTaskDefinition(ctx: StackContext, refs: Refs): RegisterTaskDefinitionCommandInput {
  return {
    family: ctx.names.workerTaskFamily,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: String(ctx.spec.workerCpu),
    memory: String(ctx.spec.workerMemory),
    executionRoleArn: ref(refs, "role-execution", "arn"),
    taskRoleArn: ref(refs, "role-worker", "arn"),
    runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
    containerDefinitions: [
      {
        name: ctx.names.workerContainer,
        image: ctx.spec.workerImage,
        essential: true,
        command: ["prefect", "worker", "start", "--pool", ctx.spec.workerPoolName, "--type", ctx.spec.workerPoolType],
        memoryReservation: ctx.spec.workerMemory,
        environment: [
          // Inside the VPC through Cloud Map, not through the load balancer (docs/provisioning.md, "The worker's path").
          { name: "PREFECT_API_URL", value: workerApiUrl(ctx.env) },
          // The official image's entrypoint pip-installs EXTRA_PIP_PACKAGES at start; the ECS worker type lives in
          // prefect-aws, pinned so every worker task gets the same version (lib/versions.ts).
          ...(ctx.spec.workerPoolType === "ecs" ? [{ name: "EXTRA_PIP_PACKAGES", value: PREFECT_AWS_REQUIREMENT }] : []),
        ],
        secrets: ctx.spec.basicAuth ? [{ name: "PREFECT_API_AUTH_STRING", valueFrom: secretArn(refs, "secret-api-auth") }] : [],
        logConfiguration: logConfig(ctx, ctx.names.workerLogPrefix),
      },
    ],
    tags: Object.entries(stackTags(ctx.env, "prefect-worker")).map(([key, value]) => ({ key, value })),
  };
}

/** The comparable part of a task definition: what a new revision would change. */
export function taskDefFingerprint(
  td: Pick<TaskDefinition, "cpu" | "memory" | "executionRoleArn" | "taskRoleArn" | "containerDefinitions">,
): Record<string, string> {
  const c = td.containerDefinitions?.[0] ?? {};
  const sortBy = <T extends { name?: string }>(xs: T[] | undefined) =>
    [...(xs ?? [])].sort((a, b) => (a.name ?? "").localeCompare(b.name ?? ""));
  return {
    "CPU / memory": `${td.cpu} / ${td.memory}`,
    image: c.image ?? "",
    command: (c.command ?? []).join(" "),
    environment: JSON.stringify(sortBy(c.environment).map((e) => `${e.name}=${e.value}`)),
    secrets: JSON.stringify(sortBy(c.secrets).map((s) => `${s.name}←${s.valueFrom}`)),
    "port mappings": JSON.stringify((c.portMappings ?? []).map((p) => p.containerPort)),
    "log configuration": JSON.stringify(c.logConfiguration?.options ?? {}),
    "health check": JSON.stringify(c.healthCheck?.command ?? []),
    "memory reservation": String(c.memoryReservation ?? ""),
    "execution role": td.executionRoleArn ?? "",
    "task role": td.taskRoleArn ?? "",
  };
}

/**
 * The environment change as a plan shows it: variable names only, and "value changed" — never the values (an
 * adopted Terraform stack has the database password in a plain variable; a plan is stored in a run row).
 */
export function environmentChange(
  want: { name?: string; value?: string }[] | undefined,
  have: { name?: string; value?: string }[] | undefined,
): FieldChange | undefined {
  const w = new Map((want ?? []).map((e) => [e.name ?? "", e.value ?? ""]));
  const h = new Map((have ?? []).map((e) => [e.name ?? "", e.value ?? ""]));
  const added = [...w.keys()].filter((k) => !h.has(k)).sort();
  const removed = [...h.keys()].filter((k) => !w.has(k)).sort();
  const changed = [...w.keys()].filter((k) => h.has(k) && h.get(k) !== w.get(k)).sort();
  if (!added.length && !removed.length && !changed.length) return undefined;
  const parts = [...added.map((k) => `${k} added`), ...changed.map((k) => `${k} value changed`), ...removed.map((k) => `${k} removed`)];
  return { field: "environment", from: [...h.keys()].sort().join(", ") || "(none)", to: parts.join("; ") };
}

function diffTaskDef(d: RegisterTaskDefinitionCommandInput, o: TaskDefinition): Diff {
  const want = taskDefFingerprint(d);
  const have = taskDefFingerprint(o);
  const changes: FieldChange[] = [];
  for (const [field, w] of Object.entries(want)) {
    // A role still to be created has no ARN yet: nothing to compare.
    if (w.includes("(known after apply)") && (field === "execution role" || field === "task role")) continue;
    if (w === have[field]) continue;
    if (field === "environment") {
      const env = environmentChange(d.containerDefinitions?.[0]?.environment, o.containerDefinitions?.[0]?.environment);
      if (env) changes.push(env);
      continue;
    }
    changes.push({ field, from: short(have[field] ?? ""), to: short(w) });
  }
  return { action: changes.length ? "update" : "noop", changes };
}

const short = (s: string) => (s.length > 140 ? `${s.slice(0, 137)}…` : s);

export async function latestTaskDefinition(region: string, family: string): Promise<TaskDefinition | undefined> {
  const arns = await listTaskDefinitionArns(region, family);
  const newest = arns.sort((a, b) => Number(a.split(":").pop()) - Number(b.split(":").pop())).pop();
  return newest ? describeTaskDefinition(region, newest) : undefined;
}

function taskDef(opts: {
  key: string;
  family: (ctx: StackContext) => string;
  /** The secret steps whose ARNs the containers reference. */
  secrets: string[];
  build: (ctx: StackContext, refs: Refs) => RegisterTaskDefinitionCommandInput;
}) {
  return defineResource<RegisterTaskDefinitionCommandInput, TaskDefinition>({
    key: opts.key,
    kind: "task definition",
    group: "compute",
    dependsOn: ["role-execution", "role-task", "role-worker", "log-group", "alb", ...opts.secrets],
    name: opts.family,
    desired: opts.build,
    observe: (ctx) => latestTaskDefinition(ctx.region, opts.family(ctx)),
    diff: diffTaskDef,
    // Registering makes a new revision; the service step then rolls it out.
    create: async (ctx, d) => void (await registerTaskDefinition(ctx.region, d)),
    update: async (ctx, d) => void (await registerTaskDefinition(ctx.region, d)),
    delete: async (ctx) => {
      for (const arn of await listTaskDefinitionArns(ctx.region, opts.family(ctx))) await deregisterTaskDefinition(ctx.region, arn);
    },
    ready: () => true,
    outputs: (o) => ({ arn: o.taskDefinitionArn ?? "", revision: String(o.revision ?? "") }),
    outputsChangedByUpdate: ["arn", "revision"],
    status: (o) => `revision ${o.revision ?? "?"}`,
  });
}

export const serverTaskDef = taskDef({
  key: "taskdef-server",
  family: (ctx) => ctx.names.serverTaskFamily,
  secrets: ["secret-db-url", "secret-api-auth"],
  build: serverTaskDefinition,
});
export const workerTaskDef = taskDef({
  key: "taskdef-worker",
  family: (ctx) => ctx.names.workerTaskFamily,
  secrets: ["secret-api-auth"],
  build: workerTaskDefinition,
});
