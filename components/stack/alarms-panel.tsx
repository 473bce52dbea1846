import Link from "next/link";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { AlarmDto, Panel } from "@/lib/ops/types";
import { PanelView } from "./panel-view";

/** Link to the logs at the moment an alarm changed state. */
export function logsAt(env: string, ms: number | null): string {
  return ms ? `/stacks/${env}/logs?at=${encodeURIComponent(new Date(ms).toISOString())}` : `/stacks/${env}/logs`;
}

export function AlarmsTable({ env, alarms }: { env: string; alarms: AlarmDto[] }) {
  if (alarms.length === 0) return <p className="text-sm text-muted-foreground">This stack has no CloudWatch alarms.</p>;
  return (
    <Table aria-label="Alarms">
      <thead>
        <tr>
          <Th>Alarm</Th>
          <Th>State</Th>
          <Th>Since</Th>
          <Th>Reason</Th>
          <Th>Links</Th>
        </tr>
      </thead>
      <tbody>
        {alarms.map((a) => (
          <tr key={a.name} data-testid="alarm-row" data-state={a.state}>
            <Td>
              <div className="font-mono text-xs">{a.name}</div>
              {a.metric ? (
                <div className="text-xs text-muted-foreground">
                  {a.metric}{" "}
                  {a.comparison
                    ?.replace(/([A-Z])/g, " $1")
                    .toLowerCase()
                    .trim()}{" "}
                  {a.threshold}
                </div>
              ) : null}
            </Td>
            <Td>
              <StatusBadge state={a.state} tone={a.state === "INSUFFICIENT_DATA" ? "neutral" : undefined} />
            </Td>
            <Td className="text-xs">{a.since ? <RelativeTime ms={a.since} /> : "—"}</Td>
            <Td className="max-w-96 text-xs text-muted-foreground">{a.reason ?? "—"}</Td>
            <Td className="whitespace-nowrap text-xs">
              {a.chart ? (
                <Link className="text-primary hover:underline" href={`/stacks/${env}/metrics#${a.chart}`}>
                  Chart
                </Link>
              ) : null}
              {a.chart ? " · " : null}
              <Link className="text-primary hover:underline" href={logsAt(env, a.since)}>
                Logs then
              </Link>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

export function AlarmsPanel({ env, alarms }: { env: string; alarms: Panel<AlarmDto[]> }) {
  const firing = alarms.ok ? alarms.data.filter((a) => a.state === "ALARM").length : 0;
  return (
    <Card data-testid="alarms-panel">
      <CardHeader
        title="Alarms"
        description={alarms.ok ? (firing ? `${firing} firing` : "none firing") : undefined}
        actions={
          <Link href={`/stacks/${env}/alarms`} className="text-xs text-primary hover:underline">
            History…
          </Link>
        }
      />
      <CardBody>
        <PanelView panel={alarms} what="alarms">
          {(a) => <AlarmsTable env={env} alarms={a} />}
        </PanelView>
      </CardBody>
    </Card>
  );
}
