import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { PrefectDto } from "@/lib/ops/types";
import { PanelView } from "./panel-view";

const MAX_WORKERS_SHOWN = 6;

/** Work pools with their workers, and flow runs by state, from the Prefect API through the load balancer. */
export function PrefectPanel({ prefect }: { prefect: PrefectDto }) {
  return (
    <Card data-testid="prefect-panel">
      <CardHeader title="Prefect" description="Work pools, workers and flow runs" />
      <CardBody className="grid gap-4">
        {prefect.unreachable ? (
          <p className="text-sm text-muted-foreground">Not reachable from the console (see above).</p>
        ) : (
          <>
            <PanelView panel={prefect.flowRuns} what="flow-run counts">
              {(r) => (
                <div className="flex gap-2">
                  {[
                    { label: "Running", v: r.running, tone: "ok" as const },
                    { label: "Late", v: r.late, tone: r.late ? ("pending" as const) : ("neutral" as const) },
                    { label: "Failed (24 h)", v: r.failed24h, tone: r.failed24h ? ("failed" as const) : ("neutral" as const) },
                  ].map((x) => (
                    <div key={x.label} className="rounded-md border px-3 py-1.5">
                      <div className="text-xs text-muted-foreground">{x.label}</div>
                      <div
                        className={`text-lg font-semibold tabular-nums ${x.tone === "failed" ? "text-failed" : x.tone === "pending" ? "text-pending" : ""}`}
                      >
                        {x.v}
                      </div>
                    </div>
                  ))}
                </div>
              )}
            </PanelView>
            <PanelView panel={prefect.pools} what="work pools">
              {(pools) =>
                pools.length === 0 ? (
                  <p className="text-sm text-muted-foreground">No work pools yet. Create one with `prefect work-pool create`.</p>
                ) : (
                  <Table aria-label="Work pools">
                    <thead>
                      <tr>
                        <Th>Pool</Th>
                        <Th>Type</Th>
                        <Th>Status</Th>
                        <Th>Workers (last heartbeat)</Th>
                      </tr>
                    </thead>
                    <tbody>
                      {pools.map((p) => (
                        <tr key={p.name}>
                          <Td className="font-medium">{p.name}</Td>
                          <Td className="text-xs">{p.type}</Td>
                          <Td>
                            <StatusBadge state={p.status} tone={p.status === "PAUSED" ? "neutral" : undefined} />
                          </Td>
                          <Td>
                            {p.workers === null ? (
                              <span className="text-xs text-failed">{p.workersError}</span>
                            ) : p.workers.length === 0 ? (
                              <span className="text-xs text-muted-foreground">none</span>
                            ) : (
                              <ul className="grid max-w-xs gap-0.5">
                                {p.workers.slice(0, MAX_WORKERS_SHOWN).map((w) => (
                                  <li key={w.name} className="flex min-w-0 items-center gap-2 text-xs" title={w.name}>
                                    <StatusBadge state={w.status} />
                                    <span className="min-w-0 truncate font-mono">{w.name}</span>
                                    {w.lastHeartbeat ? (
                                      <span className="shrink-0 text-muted-foreground">
                                        <RelativeTime ms={w.lastHeartbeat} />
                                      </span>
                                    ) : null}
                                  </li>
                                ))}
                                {p.workers.length > MAX_WORKERS_SHOWN ? (
                                  <li className="text-xs text-muted-foreground">
                                    +{p.workers.length - MAX_WORKERS_SHOWN} more ({p.workers.filter((w) => w.status === "ONLINE").length} of{" "}
                                    {p.workers.length} online)
                                  </li>
                                ) : null}
                              </ul>
                            )}
                          </Td>
                        </tr>
                      ))}
                    </tbody>
                  </Table>
                )
              }
            </PanelView>
          </>
        )}
      </CardBody>
    </Card>
  );
}
