import "server-only";
import type { Deployment, Service, Task, TaskDefinition } from "@aws-sdk/client-ecs";
import type { DeploymentDto, ServiceDto, ServiceRole, TaskDto } from "@/lib/ops/types";
import { prefectAwsVersionOf, prefectVersionOfImage } from "@/lib/versions";

// ECS SDK shapes → our DTOs (converted once, here).

const ms = (d: Date | undefined) => (d ? new Date(d).getTime() : null);

/** `arn:aws:ecs:…:task-definition/prefect-server-production:7` → `prefect-server-production:7` */
export function taskDefName(arn: string | undefined): string | null {
  if (!arn) return null;
  return arn.split("/").pop() ?? arn;
}

export function revisionOf(arn: string | undefined): number | null {
  const m = /:(\d+)$/.exec(arn ?? "");
  return m ? Number(m[1]) : null;
}

export function toDeploymentDto(d: Deployment): DeploymentDto {
  return {
    id: d.id ?? "?",
    status: d.status ?? "?",
    rolloutState: d.rolloutState ?? null,
    rolloutStateReason: d.rolloutStateReason ?? null,
    taskDefinition: taskDefName(d.taskDefinition) ?? "?",
    revision: revisionOf(d.taskDefinition),
    desired: d.desiredCount ?? 0,
    running: d.runningCount ?? 0,
    pending: d.pendingCount ?? 0,
    failedTasks: d.failedTasks ?? 0,
    createdAt: ms(d.createdAt),
    updatedAt: ms(d.updatedAt),
  };
}

/** Steady = one deployment, not rolling out or failed, and running == desired (what `aws ecs wait services-stable` checks). */
export function isSteady(s: Pick<ServiceDto, "deployments" | "running" | "desired">): boolean {
  if (s.deployments.length !== 1) return false;
  const d = s.deployments[0]!;
  return (d.rolloutState === null || d.rolloutState === "COMPLETED") && s.running === s.desired;
}

/** The Prefect (and prefect-aws) version a task definition runs: its image tag, its EXTRA_PIP_PACKAGES pin. */
export function versionsOf(td: TaskDefinition | undefined): { prefectVersion: string | null; prefectAwsVersion: string | null } {
  const c = td?.containerDefinitions?.[0];
  return {
    prefectVersion: (c?.image && prefectVersionOfImage(c.image)) || null,
    prefectAwsVersion: prefectAwsVersionOf(c?.environment?.find((e) => e.name === "EXTRA_PIP_PACKAGES")?.value) ?? null,
  };
}

export function toServiceDto(
  role: ServiceRole,
  s: Service,
  td?: { cpu?: string; memory?: string; prefectVersion?: string | null; prefectAwsVersion?: string | null },
): ServiceDto {
  const deployments = (s.deployments ?? []).map(toDeploymentDto).sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
  const dto: ServiceDto = {
    role,
    name: s.serviceName ?? "?",
    status: s.status ?? "?",
    desired: s.desiredCount ?? 0,
    running: s.runningCount ?? 0,
    pending: s.pendingCount ?? 0,
    taskDefinition: taskDefName(s.taskDefinition),
    revision: revisionOf(s.taskDefinition),
    cpu: td?.cpu ?? null,
    memory: td?.memory ?? null,
    deployments,
    events: (s.events ?? []).slice(0, 10).map((e) => ({ id: e.id ?? "", at: ms(e.createdAt) ?? 0, message: e.message ?? "" })),
    steady: false,
    targetGroupArn: s.loadBalancers?.find((l) => l.targetGroupArn)?.targetGroupArn ?? null,
    ...(td && "prefectVersion" in td ? { prefectVersion: td.prefectVersion ?? null, prefectAwsVersion: td.prefectAwsVersion ?? null } : {}),
  };
  dto.steady = isSteady(dto);
  return dto;
}

function taskIp(t: Task): string | null {
  for (const a of t.attachments ?? []) {
    const ip = a.details?.find((d) => d.name === "privateIPv4Address")?.value;
    if (ip) return ip;
  }
  for (const c of t.containers ?? []) {
    const ip = c.networkInterfaces?.find((n) => n.privateIpv4Address)?.privateIpv4Address;
    if (ip) return ip;
  }
  return null;
}

export function toTaskDto(t: Task): TaskDto {
  const arn = t.taskArn ?? "?";
  return {
    id: arn.split("/").pop() ?? arn,
    arn,
    service: t.group?.startsWith("service:") ? t.group.slice("service:".length) : null,
    lastStatus: t.lastStatus ?? "?",
    desiredStatus: t.desiredStatus ?? "?",
    health: t.healthStatus ?? null,
    az: t.availabilityZone ?? null,
    ip: taskIp(t),
    taskDefinition: taskDefName(t.taskDefinitionArn),
    revision: revisionOf(t.taskDefinitionArn),
    startedAt: ms(t.startedAt),
    createdAt: ms(t.createdAt),
    stoppedAt: ms(t.stoppedAt),
    stoppedReason: t.stoppedReason ?? null,
    stopCode: t.stopCode ?? null,
    exitCode: t.containers?.find((c) => c.exitCode !== undefined)?.exitCode ?? null,
  };
}

/** Running first (newest first), then the most recently stopped. */
export function sortTasks(tasks: TaskDto[]): TaskDto[] {
  const live = (t: TaskDto) => (t.desiredStatus === "STOPPED" || t.lastStatus === "STOPPED" ? 1 : 0);
  return [...tasks].sort(
    (a, b) => live(a) - live(b) || (b.stoppedAt ?? b.startedAt ?? b.createdAt ?? 0) - (a.stoppedAt ?? a.startedAt ?? a.createdAt ?? 0),
  );
}
