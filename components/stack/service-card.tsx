"use client";
import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { scaleBounds } from "@/lib/ops/desired-count";
import type { Panel, ScalingDto, ServiceDto, TargetDto, TaskDto } from "@/lib/ops/types";
import type { Operation } from "./operation";
import { PanelView } from "./panel-view";
import { ServiceActions } from "./service-actions";
import { TargetsTable } from "./targets-table";
import { TasksTable } from "./tasks-table";

function Count({ label, value, testId }: { label: string; value: number; testId: string }) {
  return (
    <div className="rounded-md border px-3 py-1.5">
      <div className="text-xs text-muted-foreground">{label}</div>
      <div className="text-lg font-semibold tabular-nums" data-testid={testId}>
        {value}
      </div>
    </div>
  );
}

const cpuLabel = (cpu: string | null) => (cpu ? `${Number(cpu) / 1024} vCPU` : "?");
const memLabel = (mem: string | null) => (mem ? `${Number(mem) >= 1024 ? `${Number(mem) / 1024} GB` : `${mem} MiB`}` : "?");

function autoScalingLabel(s: ScalingDto): string {
  const metric = s.targetMetric?.includes("Memory") ? "memory" : s.targetMetric ? "CPU" : "";
  const target = s.targetValue !== null ? `, target ${metric} ${s.targetValue} %` : "";
  return `auto scaling ${s.min}–${s.max}${target}${s.suspended ? " (suspended)" : ""}`;
}

export function ServiceCard({
  env,
  service,
  tasks,
  scaling,
  targets,
  canOperate,
  busy,
  onStarted,
  onError,
}: {
  env: string;
  service: ServiceDto;
  tasks: Panel<TaskDto[]>;
  scaling: Panel<ScalingDto[]>;
  targets: Panel<TargetDto[]> | null;
  canOperate: boolean;
  busy: boolean;
  onStarted: (op: Operation) => void;
  onError: (m: string) => void;
}) {
  const scalable = scaling.ok ? scaling.data.find((s) => s.service === service.name) : undefined;
  const bounds = scaleBounds(service.role, scalable);
  const primary = service.deployments.find((d) => d.status === "PRIMARY");
  const state =
    service.desired === 0 && service.role === "worker"
      ? "paused"
      : service.steady
        ? "steady"
        : primary?.rolloutState === "FAILED"
          ? "failed"
          : "rolling out";
  return (
    <Card data-testid={`service-${service.role}`}>
      <CardHeader
        title={
          <span className="flex items-center gap-2">
            {service.role === "server" ? "Server" : "Worker"}{" "}
            <span className="font-mono text-xs font-normal text-muted-foreground">{service.name}</span>
            <StatusBadge
              state={state}
              tone={state === "steady" ? "ok" : state === "failed" ? "failed" : state === "paused" ? "neutral" : "pending"}
            />
          </span>
        }
        description={
          <>
            Task definition <span className="font-mono">{service.taskDefinition ?? "?"}</span> · {cpuLabel(service.cpu)} /{" "}
            {memLabel(service.memory)} · {scaling.ok ? (scalable ? autoScalingLabel(scalable) : "no auto scaling") : "auto scaling unknown"}
          </>
        }
        actions={
          canOperate ? (
            <Link
              href={`/stacks/${env}/spec`}
              className="text-xs text-primary hover:underline"
              title="Change CPU/memory or the auto-scaling range: planned and applied like provisioning"
            >
              Resize…
            </Link>
          ) : null
        }
      />
      <CardBody className="grid gap-4">
        {!scaling.ok ? <p className="text-xs text-failed">Auto scaling: {scaling.error}</p> : null}
        <div className="flex flex-wrap items-start justify-between gap-4">
          <div className="flex gap-2">
            <Count label="Desired" value={service.desired} testId={`${service.role}-desired-count`} />
            <Count label="Running" value={service.running} testId={`${service.role}-running-count`} />
            <Count label="Pending" value={service.pending} testId={`${service.role}-pending-count`} />
          </div>
          {canOperate ? (
            <ServiceActions
              env={env}
              service={service}
              bounds={bounds}
              scalable={scalable}
              busy={busy}
              onStarted={onStarted}
              onError={onError}
            />
          ) : null}
        </div>

        <div>
          <h3 className="mb-1 text-xs font-medium text-muted-foreground">Deployments</h3>
          <Table aria-label={`${service.name} deployments`}>
            <thead>
              <tr>
                <Th>Status</Th>
                <Th>Rollout</Th>
                <Th>Task definition</Th>
                <Th>Desired / running / pending</Th>
                <Th>Failed tasks</Th>
                <Th>Created</Th>
              </tr>
            </thead>
            <tbody>
              {service.deployments.map((d) => (
                <tr key={d.id} data-testid="deployment-row" data-rollout={d.rolloutState ?? ""}>
                  <Td className="text-xs">{d.status}</Td>
                  <Td>
                    {d.rolloutState ? <StatusBadge state={d.rolloutState} /> : "—"}
                    {d.rolloutStateReason ? (
                      <div className="mt-0.5 max-w-80 text-xs text-muted-foreground">{d.rolloutStateReason}</div>
                    ) : null}
                  </Td>
                  <Td className="font-mono text-xs">{d.taskDefinition}</Td>
                  <Td className="text-xs tabular-nums">
                    {d.desired} / {d.running} / {d.pending}
                  </Td>
                  <Td className="text-xs">{d.failedTasks}</Td>
                  <Td className="text-xs">{d.createdAt ? <RelativeTime ms={d.createdAt} /> : "—"}</Td>
                </tr>
              ))}
            </tbody>
          </Table>
        </div>

        <div>
          <h3 className="mb-1 text-xs font-medium text-muted-foreground">Tasks</h3>
          <PanelView panel={tasks} what="tasks">
            {(all) => (
              <TasksTable
                env={env}
                tasks={all.filter((t) => t.service === service.name)}
                canOperate={canOperate}
                busy={busy}
                onStarted={onStarted}
                onError={onError}
              />
            )}
          </PanelView>
        </div>

        {targets ? (
          <div>
            <h3 className="mb-1 text-xs font-medium text-muted-foreground">Load balancer targets</h3>
            <PanelView panel={targets} what="target health">
              {(t) => <TargetsTable targets={t} />}
            </PanelView>
          </div>
        ) : null}

        <div>
          <h3 className="mb-1 text-xs font-medium text-muted-foreground">Recent service events</h3>
          {service.events.length === 0 ? (
            <p className="text-sm text-muted-foreground">No events.</p>
          ) : (
            <ul className="grid gap-1 text-xs">
              {service.events.slice(0, 5).map((e) => (
                <li key={e.id || e.at} className="flex gap-2">
                  <span className="w-20 shrink-0 text-muted-foreground">
                    <RelativeTime ms={e.at} />
                  </span>
                  <span>{e.message}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </CardBody>
    </Card>
  );
}
