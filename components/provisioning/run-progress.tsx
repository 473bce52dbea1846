"use client";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { cancelRun } from "@/app/(console)/stacks/[env]/runs/actions";
import { formatDuration } from "@/lib/format";
import type { RunView } from "@/lib/runs";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { StatusBadge, type Tone } from "@/components/ui/status-badge";

// Live progress of a run: polls the run's JSON while it is active (the run itself executes in the background on
// the server, so closing or reloading this page changes nothing).

const stepTone: Record<string, Tone> = {
  done: "ok",
  running: "pending",
  pending: "neutral",
  failed: "failed",
  skipped: "neutral",
  cancelled: "failed",
};
const FINAL = new Set(["succeeded", "failed", "cancelled"]);

function useNow(active: boolean) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

export function RunProgress({ initial, canCancel }: { initial: RunView; canCancel: boolean }) {
  const [run, setRun] = useState(initial);
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  const active = !FINAL.has(run.status);
  const now = useNow(active);
  const router = useRouter();
  const wasActive = useRef(active);
  useEffect(() => {
    // The stack's state badge in the page header is server-rendered: refresh it once an apply ends. (Not after a
    // destroy: the stack is gone then, and its pages answer 404; the alert links back to the list.)
    if (wasActive.current && !active && run.kind === "apply") router.refresh();
    wasActive.current = active;
  }, [active, router, run.kind]);

  useEffect(() => {
    if (!active) return;
    let stop = false;
    const tick = async () => {
      try {
        const r = await fetch(`/api/stacks/${run.env}/runs/${run.id}/events`, { cache: "no-store" });
        if (r.ok) setRun((await r.json()) as RunView);
      } catch {
        // a missed poll is retried on the next tick
      }
      if (!stop) setTimeout(tick, 1000);
    };
    const t = setTimeout(tick, 1000);
    return () => {
      stop = true;
      clearTimeout(t);
    };
  }, [active, run.env, run.id]);

  const done = run.steps.filter((s) => s.status === "done").length;
  const elapsed = (run.finishedAt ?? now) - (run.startedAt ?? run.createdAt);
  const runTone: Tone = run.status === "succeeded" ? "ok" : run.status === "failed" || run.status === "cancelled" ? "failed" : "pending";
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader
          title={
            <span className="flex items-center gap-2">
              {run.kind === "apply" ? "Apply" : "Destroy"} run <StatusBadge tone={runTone} label={run.status} />
            </span>
          }
          description={`Started by ${run.createdBy} · ${done}/${run.steps.length} resources done · ${formatDuration(elapsed)}`}
          actions={
            active && canCancel ? (
              <ConfirmDialog
                trigger={
                  <Button variant="outline" size="sm" disabled={run.cancelRequested || pending}>
                    {run.cancelRequested ? "Cancelling…" : "Cancel run"}
                  </Button>
                }
                title="Cancel this run?"
                description="Steps already running finish their current AWS call; nothing new starts. What was created stays, and applying again continues from there."
                confirmLabel="Cancel run"
                destructive
                onConfirm={() =>
                  start(async () => {
                    const r = await cancelRun({ runId: run.id });
                    if (!r.ok) setError(r.error);
                    else setRun((old) => ({ ...old, cancelRequested: true }));
                  })
                }
              />
            ) : null
          }
        />
        <CardBody className="grid gap-2">
          <div
            className="h-1.5 overflow-hidden rounded bg-muted"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={run.steps.length}
            aria-valuenow={done}
            aria-label="Resources done"
          >
            <div
              className="h-full bg-primary transition-all"
              style={{ width: `${run.steps.length ? (100 * done) / run.steps.length : 0}%` }}
            />
          </div>
          {error ? <Alert tone="failed">{error}</Alert> : null}
          {active && (run.leaseExpiresAt === null ? run.status === "running" : run.leaseExpiresAt + 5_000 < now) ? (
            <Alert tone="pending" title="Waiting for a console process">
              The process that was running this apply stopped (restart or crash). A console process picks the run up again within a minute
              and continues where it stopped.
            </Alert>
          ) : null}
          {run.error && run.status !== "succeeded" ? (
            <Alert tone="failed" title={run.status === "cancelled" ? "Cancelled" : "The run stopped"}>
              {run.error}
            </Alert>
          ) : null}
          {run.status === "succeeded" && run.kind === "apply" && run.apiUrl ? (
            <Alert tone="ok" title="The stack is ready">
              <div className="grid gap-1">
                <span className="flex items-center gap-2">
                  Prefect API URL:{" "}
                  <code className="font-mono text-foreground" data-testid="api-url">
                    {run.apiUrl}
                  </code>{" "}
                  <CopyButton value={run.apiUrl} />
                </span>
                <span className="flex items-center gap-2">
                  <code className="font-mono text-xs">export PREFECT_API_URL={run.apiUrl}</code>{" "}
                  <CopyButton value={`export PREFECT_API_URL=${run.apiUrl}`} />
                </span>
                <Link href={`/stacks/${run.env}`} className="text-primary hover:underline">
                  Open the stack
                </Link>
              </div>
            </Alert>
          ) : null}
          {run.status === "succeeded" && run.kind === "destroy" ? (
            <Alert tone="ok" title="The stack was destroyed">
              Everything it created is gone except the final database snapshot prefect-{run.env}-final.{" "}
              <Link href="/stacks" className="text-primary hover:underline">
                Back to stacks
              </Link>
            </Alert>
          ) : null}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="Resources" description="Each step starts as soon as the resources it needs are ready." />
        <CardBody className="p-0">
          <ul className="divide-y" aria-live="polite">
            {run.steps.map((s) => (
              <li key={s.key} className="grid gap-0.5 px-4 py-2 text-sm" data-testid={`step-${s.key}`} data-status={s.status}>
                <div className="flex flex-wrap items-center gap-2">
                  <StatusBadge tone={stepTone[s.status] ?? "neutral"} label={s.status} />
                  <span className="text-muted-foreground">{s.kind}</span>
                  <span className="font-mono text-xs">{s.name}</span>
                  <span className="text-xs text-muted-foreground">{s.action === "noop" ? "no change" : s.action}</span>
                  <span className="ml-auto text-xs tabular-nums text-muted-foreground">
                    {s.startedAt ? formatDuration((s.finishedAt ?? now) - s.startedAt) : ""}
                    {s.attempts > 1 ? ` · attempt ${s.attempts}` : ""}
                  </span>
                </div>
                {s.status === "running" && s.detail ? <p className="text-xs text-muted-foreground">{s.detail}</p> : null}
                {s.error ? <p className="text-xs text-failed">{s.error}</p> : null}
              </li>
            ))}
          </ul>
        </CardBody>
      </Card>
    </div>
  );
}
