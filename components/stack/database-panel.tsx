import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { DatabaseDto, Panel } from "@/lib/ops/types";
import { PanelView } from "./panel-view";

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[9rem_1fr] gap-2 py-0.5 text-sm">
      <dt className="text-xs text-muted-foreground">{label}</dt>
      <dd className="min-w-0">{children}</dd>
    </div>
  );
}

/** RDS PostgreSQL: status, size, storage, availability, backups, endpoint. The password is never read. */
export function DatabasePanel({ env, database, canOperate }: { env: string; database: Panel<DatabaseDto | null>; canOperate: boolean }) {
  return (
    <Card data-testid="database-panel">
      <CardHeader
        title="Database"
        description="RDS PostgreSQL"
        actions={
          canOperate ? (
            <Link href={`/stacks/${env}/spec`} className="text-xs text-primary hover:underline">
              Resize…
            </Link>
          ) : null
        }
      />
      <CardBody>
        <PanelView panel={database} what="the database">
          {(d) =>
            d ? (
              <dl>
                <Row label="Status">
                  <StatusBadge state={d.status} />
                </Row>
                <Row label="Class">
                  <span className="font-mono text-xs">{d.instanceClass}</span>
                </Row>
                <Row label="Engine">
                  {d.engine} {d.engineVersion}
                </Row>
                <Row label="Storage">
                  {d.usedGiB !== null ? `${d.usedGiB} of ` : ""}
                  {d.allocatedGiB} GiB{d.maxAllocatedGiB ? ` (autoscaling up to ${d.maxAllocatedGiB} GiB)` : ""}
                  {d.usedGiB !== null && d.allocatedGiB > 0 ? (
                    <div className="mt-1 h-1.5 w-40 rounded bg-muted" aria-hidden>
                      <div
                        className="h-1.5 rounded bg-primary"
                        style={{ width: `${Math.min(100, (d.usedGiB / d.allocatedGiB) * 100)}%` }}
                      />
                    </div>
                  ) : null}
                </Row>
                <Row label="Multi-AZ">{d.multiAz ? "yes" : "no"}</Row>
                <Row label="Backups">
                  {d.backupRetentionDays ? `${d.backupRetentionDays} days` : "off"}
                  {d.backupWindow ? ` · window ${d.backupWindow} UTC` : ""}
                </Row>
                <Row label="Restorable to">{d.latestRestorableAt ? <RelativeTime ms={d.latestRestorableAt} /> : "—"}</Row>
                <Row label="Endpoint">
                  {d.endpoint ? (
                    <span className="flex items-center gap-2">
                      <code className="min-w-0 truncate text-xs">{d.endpoint}</code>
                      <CopyButton value={d.endpoint} label="Copy database endpoint" />
                    </span>
                  ) : (
                    "—"
                  )}
                </Row>
                {Object.keys(d.pendingModifications).length ? (
                  <Row label="Pending changes">
                    <ul className="text-xs" data-testid="db-pending">
                      {Object.entries(d.pendingModifications).map(([k, v]) => (
                        <li key={k}>
                          {k} → <span className="font-mono">{v}</span>
                        </li>
                      ))}
                    </ul>
                  </Row>
                ) : null}
              </dl>
            ) : (
              <p className="text-sm text-muted-foreground">No database instance named prefect-{env} exists.</p>
            )
          }
        </PanelView>
      </CardBody>
    </Card>
  );
}
