import type * as React from "react";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Alert } from "@/components/ui/alert";
import { StatusBadge } from "@/components/ui/status-badge";
import type { LoadBalancerDto, Panel, PrefectDto } from "@/lib/ops/types";
import { PanelView } from "./panel-view";

function Flag({ label, panel, yes, no }: { label: string; panel: Panel<boolean>; yes: string; no: string }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="w-16 text-xs text-muted-foreground">{label}</span>
      {panel.ok ? (
        <StatusBadge tone={panel.data ? "ok" : "failed"} label={panel.data ? yes : no} />
      ) : (
        <StatusBadge tone="failed" label="unknown" />
      )}
      {!panel.ok ? <span className="text-xs text-muted-foreground">{panel.error}</span> : null}
    </div>
  );
}

/** Header panel: how to reach Prefect (API/UI URLs, the export line) and whether it answers through the ALB. */
export function EndpointsPanel({ lb, status }: { lb: Panel<LoadBalancerDto | null>; status: React.ReactNode }) {
  return (
    <Card>
      <CardHeader title="Prefect endpoint" description="As seen from the console, through the load balancer" />
      <CardBody className="grid gap-4 md:grid-cols-[1fr_auto]">
        <PanelView panel={lb} what="the load balancer">
          {(l) =>
            l ? (
              <div className="grid min-w-0 gap-2">
                <div className="flex flex-wrap items-center gap-2">
                  <span className="w-16 text-xs text-muted-foreground">API URL</span>
                  <code data-testid="api-url" className="min-w-0 truncate rounded bg-muted px-1.5 py-0.5 text-xs">
                    {l.apiUrl}
                  </code>
                  <CopyButton value={l.apiUrl} label="Copy API URL" />
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="w-16 text-xs text-muted-foreground">UI URL</span>
                  <a href={l.uiUrl} target="_blank" rel="noreferrer" className="min-w-0 truncate text-xs text-primary hover:underline">
                    {l.uiUrl}
                  </a>
                  <CopyButton value={l.uiUrl} label="Copy UI URL" />
                </div>
                <div className="flex flex-wrap items-center gap-2">
                  <span className="w-16 text-xs text-muted-foreground">CLI</span>
                  <code className="min-w-0 truncate rounded bg-muted px-1.5 py-0.5 text-xs">export PREFECT_API_URL={l.apiUrl}</code>
                  <CopyButton value={`export PREFECT_API_URL=${l.apiUrl}`} label="Copy export line" />
                </div>
                {l.domain ? (
                  <div className="flex flex-wrap items-center gap-2 text-xs" data-testid="domain-status">
                    <span className="w-16 text-muted-foreground">Domain</span>
                    <span className="font-mono">{l.domain.name}</span>
                    <StatusBadge
                      tone={l.domain.state === "ready" ? "ok" : "pending"}
                      label={l.domain.state === "ready" ? "points at the load balancer" : "waiting for DNS"}
                    />
                    {l.domain.state === "waiting" && l.domain.managedBy === "you" ? (
                      <span className="flex w-full flex-wrap items-center gap-2 pl-[4.5rem]">
                        Create this record at your DNS provider:
                        <code className="rounded bg-muted px-1.5 py-0.5">{l.domain.record}</code>
                        <CopyButton value={l.domain.record} label="Copy DNS record" />
                      </span>
                    ) : null}
                  </div>
                ) : null}
                <p className="text-xs text-muted-foreground">
                  Load balancer <span className="font-mono">{l.name}</span> · {l.scheme} · <StatusBadge state={l.state} />
                </p>
              </div>
            ) : (
              <p className="text-sm text-muted-foreground">
                No load balancer named after this stack exists yet, so there is no Prefect URL.
              </p>
            )
          }
        </PanelView>
        {status}
      </CardBody>
    </Card>
  );
}

/** Whether Prefect answers through the load balancer (its own streamed part: an unreachable API waits for a timeout). */
export function PrefectFlags({ prefect }: { prefect: PrefectDto }) {
  return (
    <>
      <div className="grid content-start gap-1.5">
        <Flag label="Health" panel={prefect.health} yes="healthy" no="unhealthy" />
        <Flag label="Ready" panel={prefect.ready} yes="ready" no="not ready" />
        <div className="flex items-center gap-2 text-sm">
          <span className="w-16 text-xs text-muted-foreground">Version</span>
          {prefect.version.ok ? (
            <span className="font-mono text-xs">{prefect.version.data}</span>
          ) : (
            <span className="text-xs text-muted-foreground">unknown</span>
          )}
        </div>
      </div>
      {prefect.unreachable ? (
        <Alert tone="pending" title="Prefect is unreachable from the console" className="md:col-span-2">
          {prefect.unreachable}
        </Alert>
      ) : null}
    </>
  );
}

/** The flags' place while Prefect is being asked. */
export function PrefectFlagsPending() {
  return (
    <p className="text-xs text-muted-foreground" role="status">
      Asking Prefect…
    </p>
  );
}
