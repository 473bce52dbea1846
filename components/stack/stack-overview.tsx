"use client";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Alert } from "@/components/ui/alert";
import type { StackSnapshot, StackSnapshotHead, StackSnapshotPanels } from "@/lib/ops/types";
import { AlarmsPanel } from "./alarms-panel";
import { DatabasePanel } from "./database-panel";
import { EndpointsPanel, PrefectFlags, PrefectFlagsPending } from "./endpoints-panel";
import { MetricsSummary } from "./metrics-summary";
import { describeOperation, operationState, progressOf, type Operation } from "./operation";
import { PanelView } from "./panel-view";
import { PrefectPanel } from "./prefect-panel";
import { RefreshBar } from "./refresh-bar";
import { ServiceCard } from "./service-card";
import { PanelPending, Streamed } from "./streamed";
import { useSnapshot } from "./use-snapshot";
import { VersionsLine } from "./versions-line";

/** Applies what an operation will do to the snapshot right away; the next snapshot from AWS corrects it. */
function optimistic(s: StackSnapshot, op: Operation): StackSnapshot {
  if (op.kind === "scale" && s.services.ok)
    return {
      ...s,
      services: { ok: true, data: s.services.data.map((x) => (x.name === op.service ? { ...x, desired: op.to, steady: false } : x)) },
    };
  if (op.kind === "stop" && s.tasks.ok)
    return { ...s, tasks: { ok: true, data: s.tasks.data.map((t) => (t.id === op.taskId ? { ...t, desiredStatus: "STOPPED" } : t)) } };
  return s;
}

/** The whole first snapshot, once every streamed panel has its answer. */
function wholeSnapshot(head: StackSnapshotHead, panels: StackSnapshotPanels, duration: Promise<number>): Promise<StackSnapshot> {
  const keys = Object.keys(panels) as (keyof StackSnapshotPanels)[];
  return Promise.all([duration, ...keys.map((k) => panels[k])]).then(
    ([durationMs, ...values]) => ({ ...head, durationMs, ...Object.fromEntries(keys.map((k, i) => [k, values[i]])) }) as StackSnapshot,
  );
}

/**
 * The on-call view of one stack: the frame at once, each panel as its AWS answer streams in, then a live snapshot,
 * and operations followed until AWS reports them done.
 */
export function StackOverview({
  head,
  panels,
  duration,
  canOperate,
}: {
  head: StackSnapshotHead;
  panels: StackSnapshotPanels;
  duration: Promise<number>;
  canOperate: boolean;
}) {
  const [op, setOp] = useState<(Operation & { state: "running" | "done" | "failed" }) | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const following = op?.state === "running";
  const first = useMemo(() => wholeSnapshot(head, panels, duration), [head, panels, duration]);
  const ecs = useMemo(() => Promise.all([panels.services, panels.tasks, panels.scaling, panels.targets, panels.runInProgress]), [panels]);
  const { snapshot: s, setSnapshot, paused, setPaused, error, loading, refresh, interval } = useSnapshot(head.env, first, following);

  // Follow the operation on every new snapshot (state adjusted while rendering, React's pattern for derived state).
  const [seen, setSeen] = useState(s);
  if (seen !== s) {
    setSeen(s);
    if (s && op?.state === "running") {
      const state = operationState(op, s);
      if (state !== "running") setOp({ ...op, state });
    }
  }

  const started = (o: Operation) => {
    setActionError(null);
    setOp({ ...o, state: "running" });
    setSnapshot((prev) => (prev ? optimistic(prev, o) : prev));
    void refresh();
  };
  const busy = following || Boolean(s?.runInProgress);
  const opService = op && s?.services.ok ? s.services.data.find((x) => x.name === op.service) : undefined;
  const env = head.env;

  return (
    <div className="grid gap-4">
      {s ? (
        <RefreshBar
          takenAt={s.takenAt}
          durationMs={s.durationMs}
          interval={interval}
          paused={paused}
          loading={loading}
          error={error}
          onPause={setPaused}
          onRefresh={() => void refresh()}
        />
      ) : (
        <p className="flex items-center gap-2 text-xs text-muted-foreground" role="status">
          <Loader2 className="size-3.5 animate-spin" aria-hidden /> Reading the stack from AWS…
        </p>
      )}
      {head.stackStatus === "destroyed" ? (
        <Alert tone="neutral" title="This stack was destroyed">
          Its resources are gone (the database&apos;s final snapshot is kept). The Runs and Timeline tabs keep its history.
        </Alert>
      ) : null}
      {s?.runInProgress ? (
        <Alert tone="pending" title={`A ${s.runInProgress.kind} run is ${s.runInProgress.status}`}>
          Scaling, restarts and rollbacks wait until it finishes.{" "}
          <Link href={`/stacks/${s.env}/runs/${s.runInProgress.id}`} className="text-primary hover:underline">
            Follow the run
          </Link>
        </Alert>
      ) : null}
      {op ? (
        <Alert tone={op.state === "running" ? "pending" : op.state === "done" ? "ok" : "failed"} title={describeOperation(op)}>
          <span className="flex items-center gap-2" data-testid="operation-progress" data-state={op.state}>
            {op.state === "running" ? <Loader2 className="size-3.5 animate-spin" aria-hidden /> : null}
            {op.state === "running"
              ? progressOf(op, opService)
              : op.state === "done"
                ? `Done: ${progressOf(op, opService)}. The service is steady.`
                : "The deployment failed. See the service events and stopped tasks below; you can roll back."}
          </span>
        </Alert>
      ) : null}
      {actionError ? (
        <Alert tone="failed" title="The operation was refused">
          {actionError}
        </Alert>
      ) : null}

      <Streamed value={s?.loadBalancer} promise={panels.loadBalancer} fallback={<PanelPending title="Prefect endpoint" />}>
        {(lb) => (
          <EndpointsPanel
            lb={lb}
            status={
              <Streamed value={s?.prefect} promise={panels.prefect} fallback={<PrefectFlagsPending />}>
                {(prefect) => <PrefectFlags prefect={prefect} />}
              </Streamed>
            }
          />
        )}
      </Streamed>
      <Streamed value={s?.prefect} promise={panels.prefect} fallback={null}>
        {(prefect) => (
          <Streamed
            value={s ? ([s.services, s.tasks, s.scaling, s.targets, s.runInProgress] as const) : undefined}
            promise={ecs}
            fallback={null}
          >
            {([services]) => <VersionsLine services={services} prefect={prefect} />}
          </Streamed>
        )}
      </Streamed>

      <Streamed
        value={s ? ([s.services, s.tasks, s.scaling, s.targets, s.runInProgress] as const) : undefined}
        promise={ecs}
        fallback={<PanelPending title="Services" className="min-h-40" />}
      >
        {([servicesPanel, tasks, scaling, targets, run]) => (
          <PanelView panel={servicesPanel} what="the ECS services">
            {(services) =>
              services.length === 0 ? (
                <Alert tone="pending" title="No services yet">
                  Neither prefect-server nor prefect-worker exists in cluster {head.cluster}.
                </Alert>
              ) : (
                <div className="grid gap-4" data-testid="services-panel">
                  {services.map((svc) => (
                    <ServiceCard
                      key={svc.name}
                      env={env}
                      service={svc}
                      tasks={tasks}
                      scaling={scaling}
                      targets={svc.role === "server" ? targets : null}
                      canOperate={canOperate}
                      busy={busy || run !== null}
                      onStarted={started}
                      onError={setActionError}
                    />
                  ))}
                </div>
              )
            }
          </PanelView>
        )}
      </Streamed>

      <Streamed value={s?.alarms} promise={panels.alarms} fallback={<PanelPending title="Alarms" />}>
        {(alarms) => <AlarmsPanel env={env} alarms={alarms} />}
      </Streamed>
      <div className="grid gap-4 lg:grid-cols-2">
        <Streamed value={s?.database} promise={panels.database} fallback={<PanelPending title="Database" />}>
          {(database) => <DatabasePanel env={env} database={database} canOperate={canOperate} />}
        </Streamed>
        <Streamed value={s?.prefect} promise={panels.prefect} fallback={<PanelPending title="Prefect" />}>
          {(prefect) => <PrefectPanel prefect={prefect} />}
        </Streamed>
      </div>
      <Streamed value={s?.metrics} promise={panels.metrics} fallback={<PanelPending title="Last hour" />}>
        {(metrics) => <MetricsSummary env={env} metrics={metrics} />}
      </Streamed>
    </div>
  );
}
