import "server-only";
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  paginateListTasks,
  StopTaskCommand,
  UpdateServiceCommand,
  type DescribeServicesCommandOutput,
  type Service,
  type Task,
  type TaskDefinition,
} from "@aws-sdk/client-ecs";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin ECS wrappers (only the commands the console uses). Domain code (server/ops, server/stack) maps these SDK
// shapes to its own types. Several engineers add functions here: add, don't restructure.

const ecs = (region: string) => awsClient(ECSClient, region);

/** ECS answers per-item failures in `failures` instead of throwing; surface them with the service names. */
export interface DescribedServices {
  services: Service[];
  missing: string[];
}

// aws ecs describe-services --cluster C --services S1 S2 …  (≤ 10 services per call; more are chunked)
export async function describeServices(region: string, cluster: string, names: string[]): Promise<DescribedServices> {
  const chunks: string[][] = [];
  for (let i = 0; i < names.length; i += 10) chunks.push(names.slice(i, i + 10));
  const outs: DescribeServicesCommandOutput[] = await Promise.all(
    chunks.map((services) =>
      aws("ecs:DescribeServices", cluster, () => ecs(region).send(new DescribeServicesCommand({ cluster, services }))),
    ),
  );
  const services = outs.flatMap((o) => o.services ?? []).filter((s) => s.status !== "INACTIVE");
  const found = new Set(services.map((s) => s.serviceName));
  return { services, missing: names.filter((n) => !found.has(n)) };
}

// aws ecs list-tasks --cluster C [--service-name S | --family F] --desired-status RUNNING|STOPPED  (≤ 100 ARNs per page)
// Pages are followed with the SDK paginator; `maxPages` bounds how far (STOPPED tasks: the first page is enough).
export async function listTaskArns(
  region: string,
  cluster: string,
  opts: { desiredStatus: "RUNNING" | "STOPPED"; serviceName?: string; family?: string; maxPages?: number },
): Promise<string[]> {
  const arns: string[] = [];
  let pages = 0;
  await aws("ecs:ListTasks", cluster, async () => {
    const pager = paginateListTasks(
      { client: ecs(region), pageSize: 100 },
      {
        cluster,
        desiredStatus: opts.desiredStatus,
        ...(opts.serviceName ? { serviceName: opts.serviceName } : {}),
        ...(opts.family ? { family: opts.family } : {}),
      },
    );
    for await (const page of pager) {
      arns.push(...(page.taskArns ?? []));
      pages += 1;
      if (opts.maxPages !== undefined && pages >= opts.maxPages) break;
    }
  });
  return arns;
}

// aws ecs describe-tasks --cluster C --tasks T…  (≤ 100 tasks per call; chunks run in parallel and return their results)
export async function describeTasks(region: string, cluster: string, taskArns: string[]): Promise<Task[]> {
  if (taskArns.length === 0) return [];
  const chunks: string[][] = [];
  for (let i = 0; i < taskArns.length; i += 100) chunks.push(taskArns.slice(i, i + 100));
  const outs = await Promise.all(
    chunks.map((tasks) => aws("ecs:DescribeTasks", cluster, () => ecs(region).send(new DescribeTasksCommand({ cluster, tasks })))),
  );
  return outs.flatMap((o) => o.tasks ?? []);
}

// aws ecs describe-task-definition --task-definition family:rev  (one per call; revisions are immutable, so cacheable)
export async function describeTaskDefinition(region: string, taskDefinition: string): Promise<TaskDefinition> {
  const out = await aws("ecs:DescribeTaskDefinition", taskDefinition, () =>
    ecs(region).send(new DescribeTaskDefinitionCommand({ taskDefinition })),
  );
  if (!out.taskDefinition) throw new Error(`describe task definition ${taskDefinition}: empty answer`);
  return out.taskDefinition;
}

// aws ecs update-service --cluster C --service S [--desired-count N] [--force-new-deployment] [--task-definition TD]
export async function updateService(
  region: string,
  cluster: string,
  service: string,
  change: { desiredCount?: number; forceNewDeployment?: boolean; taskDefinition?: string },
): Promise<Service | undefined> {
  const out = await aws("ecs:UpdateService", `${cluster}/${service}`, () =>
    ecs(region).send(new UpdateServiceCommand({ cluster, service, ...change })),
  );
  return out.service;
}

// aws ecs stop-task --cluster C --task T --reason "…"  (reason ≤ 255 characters)
export async function stopTask(region: string, cluster: string, task: string, reason: string): Promise<Task | undefined> {
  const out = await aws("ecs:StopTask", `${cluster}/${task.split("/").pop() ?? task}`, () =>
    ecs(region).send(new StopTaskCommand({ cluster, task, reason: reason.slice(0, 255) })),
  );
  return out.task;
}

// ── Provisioning (server/stack) ────────────────────────────────────────────────────────────────────────────────
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DeregisterTaskDefinitionCommand,
  DescribeClustersCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateClusterCommand,
  type Cluster,
  type CreateServiceCommandInput,
  type RegisterTaskDefinitionCommandInput,
  type UpdateServiceCommandInput,
} from "@aws-sdk/client-ecs";

// aws ecs describe-clusters --clusters C --include SETTINGS TAGS  (INACTIVE clusters are reported as missing here)
export async function findCluster(region: string, name: string): Promise<Cluster | undefined> {
  const out = await aws("ecs:DescribeClusters", name, () =>
    ecs(region).send(new DescribeClustersCommand({ clusters: [name], include: ["SETTINGS", "TAGS"] })),
  );
  return (out.clusters ?? []).find((c) => c.status !== "INACTIVE");
}
// aws ecs create-cluster --cluster-name C --settings name=containerInsights,value=enabled --tags …
export async function createCluster(region: string, name: string, containerInsights: boolean, tags: Record<string, string>): Promise<void> {
  await aws("ecs:CreateCluster", name, () =>
    ecs(region).send(
      new CreateClusterCommand({
        clusterName: name,
        settings: [{ name: "containerInsights", value: containerInsights ? "enabled" : "disabled" }],
        tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
      }),
    ),
  );
}
// aws ecs update-cluster --cluster C --settings name=containerInsights,value=enabled
// (UpdateCluster takes the same settings as UpdateClusterSettings and is the one every ECS endpoint implements)
export async function setContainerInsights(region: string, name: string, enabled: boolean): Promise<void> {
  await aws("ecs:UpdateCluster", name, () =>
    ecs(region).send(
      new UpdateClusterCommand({ cluster: name, settings: [{ name: "containerInsights", value: enabled ? "enabled" : "disabled" }] }),
    ),
  );
}
// aws ecs delete-cluster --cluster C  (ClusterContainsServicesException while services remain → retried)
export async function deleteCluster(region: string, name: string): Promise<void> {
  try {
    await ecs(region).send(new DeleteClusterCommand({ cluster: name }));
  } catch (err) {
    if (/ClusterNotFound/.test(String((err as { name?: string }).name))) return;
    await aws("ecs:DeleteCluster", name, () => Promise.reject(err));
  }
}

// aws ecs register-task-definition --cli-input-json …  (each call makes a new immutable revision)
export async function registerTaskDefinition(region: string, input: RegisterTaskDefinitionCommandInput): Promise<string> {
  const out = await aws("ecs:RegisterTaskDefinition", input.family ?? "task", () =>
    ecs(region).send(new RegisterTaskDefinitionCommand(input)),
  );
  return out.taskDefinition?.taskDefinitionArn ?? "";
}
// aws ecs list-task-definitions --family-prefix F --status ACTIVE  (≤ 100 per page)
export async function listTaskDefinitionArns(region: string, family: string): Promise<string[]> {
  const out = await aws("ecs:ListTaskDefinitions", family, () =>
    ecs(region).send(new ListTaskDefinitionsCommand({ familyPrefix: family, status: "ACTIVE", maxResults: 100 })),
  );
  // familyPrefix is a prefix: keep only this exact family ("prefect-server-prod" must not match "prefect-server-production").
  return (out.taskDefinitionArns ?? []).filter((a) => a.split("/").pop()?.replace(/:\d+$/, "") === family);
}
// aws ecs deregister-task-definition --task-definition F:REV
export async function deregisterTaskDefinition(region: string, arn: string): Promise<void> {
  await aws("ecs:DeregisterTaskDefinition", arn.split("/").pop() ?? arn, () =>
    ecs(region).send(new DeregisterTaskDefinitionCommand({ taskDefinition: arn })),
  );
}

// aws ecs create-service --cli-input-json …  (callers observe first: never rely on clientToken idempotency)
export async function createService(region: string, input: CreateServiceCommandInput): Promise<void> {
  await aws("ecs:CreateService", `${input.cluster}/${input.serviceName}`, () => ecs(region).send(new CreateServiceCommand(input)));
}
// aws ecs update-service --cli-input-json …  (the full form provisioning needs: network, deployment config, TD)
export async function updateServiceFull(region: string, input: UpdateServiceCommandInput): Promise<void> {
  await aws("ecs:UpdateService", `${input.cluster}/${input.service}`, () => ecs(region).send(new UpdateServiceCommand(input)));
}
// aws ecs delete-service --cluster C --service S --force  (force: no need to scale to 0 first)
export async function deleteService(region: string, cluster: string, service: string): Promise<void> {
  try {
    await ecs(region).send(new DeleteServiceCommand({ cluster, service, force: true }));
  } catch (err) {
    if (/ServiceNotFound|ServiceNotActive|ClusterNotFound/.test(String((err as { name?: string }).name))) return;
    await aws("ecs:DeleteService", `${cluster}/${service}`, () => Promise.reject(err));
  }
}

// aws ecs run-task --cluster C --task-definition TD --launch-type FARGATE --network-configuration … --started-by S
//   (≤ 10 tasks per call; startedBy ≤ 36 characters; a one-off task, not part of a service)
import { RunTaskCommand, type RunTaskCommandInput } from "@aws-sdk/client-ecs";
export async function runTask(region: string, input: RunTaskCommandInput & { cluster: string }): Promise<Task> {
  const out = await aws("ecs:RunTask", input.cluster, () => ecs(region).send(new RunTaskCommand(input)));
  const task = out.tasks?.[0];
  if (!task) throw new Error(`run task in ${input.cluster}: ${out.failures?.map((f) => f.reason).join(", ") || "no task started"}`);
  return task;
}
