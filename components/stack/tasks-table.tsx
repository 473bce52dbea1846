"use client";
import { Square } from "lucide-react";
import Link from "next/link";
import { stopTaskAction } from "@/app/(console)/stacks/[env]/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { TaskDto } from "@/lib/ops/types";
import type { Operation } from "./operation";

const MAX_STOPPED = 5;

export function TasksTable({
  env,
  tasks,
  canOperate,
  busy,
  onStarted,
  onError,
}: {
  env: string;
  tasks: TaskDto[];
  canOperate: boolean;
  busy: boolean;
  onStarted: (op: Operation) => void;
  onError: (m: string) => void;
}) {
  const live = tasks.filter((t) => t.lastStatus !== "STOPPED");
  const stopped = tasks.filter((t) => t.lastStatus === "STOPPED").slice(0, MAX_STOPPED);
  const rows = [...live, ...stopped];
  if (rows.length === 0) return <p className="px-4 py-3 text-sm text-muted-foreground">No tasks.</p>;
  return (
    <Table aria-label="Tasks">
      <thead>
        <tr>
          <Th>Task</Th>
          <Th>Status</Th>
          <Th>Health</Th>
          <Th>AZ</Th>
          <Th>IP</Th>
          <Th>Revision</Th>
          <Th>Started</Th>
          <Th>Stop reason</Th>
          {canOperate ? <Th className="text-right">Action</Th> : null}
        </tr>
      </thead>
      <tbody>
        {rows.map((t) => (
          <tr key={t.arn} data-testid="task-row" data-status={t.lastStatus}>
            <Td className="font-mono text-xs">
              <Link
                href={`/stacks/${env}/logs?source=task&task=${encodeURIComponent(t.id)}${t.stoppedAt ? `&at=${encodeURIComponent(new Date(t.stoppedAt).toISOString())}` : ""}`}
                className="text-primary hover:underline"
                title={`Logs of task ${t.id}`}
              >
                {t.id.slice(0, 12)}
              </Link>
            </Td>
            <Td>
              <StatusBadge
                state={t.lastStatus}
                label={t.desiredStatus === "STOPPED" && t.lastStatus !== "STOPPED" ? `${t.lastStatus} → STOPPED` : t.lastStatus}
              />
            </Td>
            <Td>
              {t.health && t.health !== "UNKNOWN" ? (
                <StatusBadge state={t.health} />
              ) : (
                <span className="text-xs text-muted-foreground">{t.health ?? "—"}</span>
              )}
            </Td>
            <Td className="text-xs">{t.az ?? "—"}</Td>
            <Td className="font-mono text-xs">{t.ip ?? "—"}</Td>
            <Td className="text-xs">{t.revision ?? "—"}</Td>
            <Td className="text-xs">{t.startedAt ? <RelativeTime ms={t.startedAt} /> : "—"}</Td>
            <Td className="max-w-72 text-xs text-muted-foreground">
              {t.stoppedReason ? (
                <>
                  {t.stoppedReason}
                  {t.exitCode !== null ? ` (exit ${t.exitCode})` : ""}
                  {t.stoppedAt ? (
                    <>
                      {" · "}
                      <RelativeTime ms={t.stoppedAt} />
                    </>
                  ) : null}
                </>
              ) : (
                "—"
              )}
            </Td>
            {canOperate ? (
              <Td className="text-right">
                {t.lastStatus !== "STOPPED" && t.desiredStatus !== "STOPPED" ? (
                  <ConfirmDialog
                    trigger={
                      <Button size="sm" variant="ghost" disabled={busy} aria-label={`Stop task ${t.id.slice(0, 12)}`}>
                        <Square />
                        Stop
                      </Button>
                    }
                    title={`Stop task ${t.id.slice(0, 12)}?`}
                    description={`The task of ${t.service ?? "the service"} stops; ECS starts a replacement to keep the desired count.`}
                    confirmLabel="Stop task"
                    destructive
                    onConfirm={async () => {
                      const r = await stopTaskAction({ env, taskId: t.id });
                      if (r.ok) onStarted({ kind: "stop", service: r.data.service, taskId: t.id, startedAt: Date.now() });
                      else onError(r.error);
                    }}
                  />
                ) : null}
              </Td>
            ) : null}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
