import "server-only";
import type { CreateServiceCommandInput, Service } from "@aws-sdk/client-ecs";
import { stackTags } from "@/lib/names";
import { ConsoleAwsError } from "@/server/aws/errors";
import { describeScalableTargets, ecsServiceResourceId } from "@/server/aws/autoscaling";
import { createService, deleteService, describeServices, findCluster, updateServiceFull } from "@/server/aws/ecs";
import { defineResource, diffOf, ref, setChange, TerminalError, UNKNOWN, valueChange, type Refs, type StackContext } from "../types";

// The server service (seed: `prefect-server`, desired 1, private subnets, no public IP, behind the target group) and
// the worker service the seed only names. Added: deployment circuit breaker with rollback on both.
// CreateService is called only after observing that the service is absent: moto (unlike AWS) replaces a service
// created twice with the same clientToken, and AWS would otherwise answer "Creation of service was not idempotent".

type ServiceDesired = CreateServiceCommandInput & { serviceName: string; cluster: string };
/** The service, plus the auto-scaling range when a scalable target owns its desired count. */
type ServiceObserved = Service & { autoScaling?: { min: number; max: number } };

// Once Application Auto Scaling has a scalable target on the worker service, the scaling policy owns desiredCount
// (within min…max): apply never sends the spec's count again, or it would undo scaling (Terraform users write
// `ignore_changes = [desired_count]`). The spec's count is used when the service is created.
async function autoScalingRange(ctx: StackContext, serviceName: string): Promise<ServiceObserved["autoScaling"]> {
  const [target] = await describeScalableTargets(ctx.region, [ecsServiceResourceId(ctx.names.cluster, serviceName)]);
  return target ? { min: target.MinCapacity ?? 0, max: target.MaxCapacity ?? 0 } : undefined;
}

export const MANAGED_BY_AUTO_SCALING = "managed by auto scaling";

function serviceInput(ctx: StackContext, refs: Refs, which: "server" | "worker"): ServiceDesired {
  const server = which === "server";
  return {
    cluster: ctx.names.cluster,
    serviceName: server ? ctx.names.serverService : ctx.names.workerService,
    taskDefinition: ref(refs, server ? "taskdef-server" : "taskdef-worker", "arn"),
    desiredCount: server ? ctx.spec.serverDesiredCount : ctx.spec.workerDesiredCount,
    launchType: "FARGATE",
    platformVersion: "LATEST",
    networkConfiguration: {
      awsvpcConfiguration: {
        subnets: [...ctx.spec.privateSubnetIds].sort(),
        securityGroups: [ref(refs, "sg-tasks", "groupId")],
        assignPublicIp: "DISABLED",
      },
    },
    ...(server
      ? {
          loadBalancers: [
            { targetGroupArn: ref(refs, "target-group", "arn"), containerName: ctx.names.serverContainer, containerPort: 4200 },
          ],
          healthCheckGracePeriodSeconds: 120,
          // ECS registers each server task's IP in Cloud Map: the worker's way to the API (service-discovery.ts).
          serviceRegistries: [{ registryArn: ref(refs, "dns-service", "arn") }],
        }
      : {}),
    deploymentConfiguration: {
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 200,
      minimumHealthyPercent: 100,
    },
    schedulingStrategy: "REPLICA",
    enableECSManagedTags: true,
    propagateTags: "SERVICE",
    tags: Object.entries(stackTags(ctx.env, server ? "prefect-server" : "prefect-worker")).map(([key, value]) => ({ key, value })),
  };
}

async function observeService(ctx: StackContext, name: string): Promise<Service | undefined> {
  // No cluster yet → no service (asking DescribeServices would log a ClusterNotFound warning for every new stack).
  if (!(await findCluster(ctx.region, ctx.names.cluster))) return undefined;
  const { services } = await describeServices(ctx.region, ctx.names.cluster, [name]).catch((err: unknown) => {
    // No cluster yet → no service.
    if (err instanceof ConsoleAwsError && err.kind === "not-found") return { services: [] as Service[] };
    throw err;
  });
  return services.find((s) => s.serviceName === name && s.status !== "INACTIVE" && s.status !== "DRAINING");
}

function rolloutReady(o: Service): true | string {
  const primary = o.deployments?.find((d) => d.status === "PRIMARY");
  if (primary?.rolloutState === "FAILED")
    throw new TerminalError(
      `The ${o.serviceName} deployment failed and the circuit breaker rolled it back: ${primary.rolloutStateReason ?? "tasks did not become healthy"}. Check the service's logs, fix the image or settings, and apply again.`,
    );
  const running = o.runningCount ?? 0;
  const desired = o.desiredCount ?? 0;
  if ((o.deployments?.length ?? 0) > 1) return `rolling out (${running}/${desired} running)`;
  if (primary?.rolloutState && primary.rolloutState !== "COMPLETED")
    return `deployment ${primary.rolloutState.toLowerCase().replace("_", " ")} (${running}/${desired} running)`;
  if (running < desired) return `${running}/${desired} tasks running`;
  return true;
}

function service(which: "server" | "worker") {
  const server = which === "server";
  return defineResource<ServiceDesired, ServiceObserved>({
    key: server ? "service-server" : "service-worker",
    kind: "ECS service",
    group: "compute",
    dependsOn: server
      ? [
          "cluster",
          "taskdef-server",
          "sg-tasks",
          "target-group",
          "listeners",
          "secret-db-url",
          "secret-api-auth",
          "dns-service",
          "nat-routes",
        ]
      : ["cluster", "taskdef-worker", "sg-tasks", "service-server", "secret-api-auth", "nat-routes"],
    name: (ctx) => (server ? ctx.names.serverService : ctx.names.workerService),
    desired: (ctx, refs) => serviceInput(ctx, refs, which),
    observe: async (ctx) => {
      const svc = await observeService(ctx, server ? ctx.names.serverService : ctx.names.workerService);
      if (!svc || server) return svc;
      const autoScaling = await autoScalingRange(ctx, ctx.names.workerService);
      return autoScaling ? { ...svc, autoScaling } : svc;
    },
    diff: (d, o) => {
      const net = d.networkConfiguration?.awsvpcConfiguration;
      const have = o.networkConfiguration?.awsvpcConfiguration;
      const breaker = o.deploymentConfiguration?.deploymentCircuitBreaker;
      const registries = (d.serviceRegistries ?? []).map((r) => r.registryArn ?? "");
      return diffOf(
        [
          registries.includes(UNKNOWN)
            ? undefined
            : setChange(
                "service discovery",
                registries,
                (o.serviceRegistries ?? []).map((r) => r.registryArn ?? ""),
              ),
          d.taskDefinition === UNKNOWN
            ? undefined
            : valueChange("task definition", d.taskDefinition?.split("/").pop(), o.taskDefinition?.split("/").pop()),
          o.autoScaling ? undefined : valueChange("desired count", d.desiredCount, o.desiredCount),
          setChange("subnets", net?.subnets ?? [], have?.subnets ?? []),
          net?.securityGroups?.[0] === UNKNOWN
            ? undefined
            : setChange("security groups", net?.securityGroups ?? [], have?.securityGroups ?? []),
          valueChange(
            "circuit breaker",
            "enabled with rollback",
            breaker?.enable && breaker.rollback ? "enabled with rollback" : breaker?.enable ? "enabled, no rollback" : "off",
          ),
        ],
        o.autoScaling
          ? [`desired count: ${MANAGED_BY_AUTO_SCALING} (${o.autoScaling.min}–${o.autoScaling.max} tasks, now ${o.desiredCount ?? 0})`]
          : undefined,
      );
    },
    create: async (ctx, d) => {
      if (await observeService(ctx, d.serviceName)) return;
      await createService(ctx.region, d);
    },
    update: (ctx, d, o, diff) =>
      updateServiceFull(ctx.region, {
        cluster: d.cluster,
        service: d.serviceName,
        taskDefinition: d.taskDefinition,
        ...(o.autoScaling ? {} : { desiredCount: d.desiredCount }),
        networkConfiguration: d.networkConfiguration,
        deploymentConfiguration: d.deploymentConfiguration,
        ...(d.healthCheckGracePeriodSeconds ? { healthCheckGracePeriodSeconds: d.healthCheckGracePeriodSeconds } : {}),
        // Sent only when it changes: an update that names the registries starts a new deployment.
        ...(diff.changes.some((c) => c.field === "service discovery") ? { serviceRegistries: d.serviceRegistries } : {}),
      }),
    delete: (ctx, o) => deleteService(ctx.region, ctx.names.cluster, o.serviceName ?? ""),
    // A deleted service stays DRAINING until its tasks stop, then becomes INACTIVE; only then may the cluster go
    // (DeleteCluster refuses with ClusterContainsServicesException while a service is ACTIVE or DRAINING).
    gone: async (ctx) => {
      if (!(await findCluster(ctx.region, ctx.names.cluster))) return true;
      const name = server ? ctx.names.serverService : ctx.names.workerService;
      const { services } = await describeServices(ctx.region, ctx.names.cluster, [name]);
      return !services.some((s) => s.serviceName === name && s.status !== "INACTIVE");
    },
    ready: rolloutReady,
    outputs: (o) => ({ arn: o.serviceArn ?? "", name: o.serviceName ?? "" }),
    status: (o) =>
      `${o.runningCount ?? 0}/${o.desiredCount ?? 0} running${o.autoScaling ? ` (auto scaling ${o.autoScaling.min}–${o.autoScaling.max})` : ""}`,
  });
}

export const serverService = service("server");
export const workerService = service("worker");
