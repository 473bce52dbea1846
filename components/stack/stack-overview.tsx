"use client";
import { Loader2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import type { StackSnapshot } from "@/lib/ops/types";
import { AlarmsPanel } from "./alarms-panel";
import { DatabasePanel } from "./database-panel";
import { EndpointsPanel } from "./endpoints-panel";
import { MetricsSummary } from "./metrics-summary";
import { describeOperation, operationState, progressOf, type Operation } from "./operation";
import { PanelView } from "./panel-view";
import { PrefectPanel } from "./prefect-panel";
import { RefreshBar } from "./refresh-bar";
import { ServiceCard } from "./service-card";
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

/** The on-call view of one stack: live snapshot, panels, and operations followed until AWS reports them done. */
export function StackOverview({ initial, canOperate }: { initial: StackSnapshot; canOperate: boolean }) {
  const [op, setOp] = useState<(Operation & { state: "running" | "done" | "failed" }) | null>(null);
  const [actionError, setActionError] = useState<string | null>(null);
  const following = op?.state === "running";
  const { snapshot: s, setSnapshot, paused, setPaused, error, loading, refresh, interval } = useSnapshot(initial, following);

  // Follow the operation on every new snapshot (state adjusted while rendering, React's pattern for derived state).
  const [seen, setSeen] = useState(s);
  if (seen !== s) {
    setSeen(s);
    if (op?.state === "running") {
      const state = operationState(op, s);
      if (state !== "running") setOp({ ...op, state });
    }
  }

  const started = (o: Operation) => {
    setActionError(null);
    setOp({ ...o, state: "running" });
    setSnapshot((prev) => optimistic(prev, o));
    void refresh();
  };
  const busy = following || s.runInProgress !== null;
  const opService = op && s.services.ok ? s.services.data.find((x) => x.name === op.service) : undefined;

  return (
    <div className="grid gap-4">
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
      {s.stackStatus === "destroyed" ? (
        <Alert tone="neutral" title="This stack was destroyed">
          Its resources are gone (the database&apos;s final snapshot is kept). The Runs and Timeline tabs keep its history.
        </Alert>
      ) : null}
      {s.runInProgress ? (
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

      <EndpointsPanel lb={s.loadBalancer} prefect={s.prefect} />
      <VersionsLine s={s} />

      <PanelView panel={s.services} what="the ECS services">
        {(services) =>
          services.length === 0 ? (
            <Alert tone="pending" title="No services yet">
              Neither prefect-server nor prefect-worker exists in cluster {s.cluster}.
            </Alert>
          ) : (
            <div className="grid gap-4">
              {services.map((svc) => (
                <ServiceCard
                  key={svc.name}
                  env={s.env}
                  service={svc}
                  tasks={s.tasks}
                  scaling={s.scaling}
                  targets={svc.role === "server" ? s.targets : null}
                  canOperate={canOperate}
                  busy={busy}
                  onStarted={started}
                  onError={setActionError}
                />
              ))}
            </div>
          )
        }
      </PanelView>

      <AlarmsPanel env={s.env} alarms={s.alarms} />
      <div className="grid gap-4 lg:grid-cols-2">
        <DatabasePanel env={s.env} database={s.database} canOperate={canOperate} />
        <PrefectPanel prefect={s.prefect} />
      </div>
      <MetricsSummary env={s.env} metrics={s.metrics} />
    </div>
  );
}
