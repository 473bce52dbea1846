import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AlarmsTable, logsAt } from "@/components/stack/alarms-panel";
import { PageRefresher } from "@/components/stack/page-refresher";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { stackAlarmsPage } from "@/server/metrics/alarms";
import { getStack } from "@/server/stack/registry";

export const metadata: Metadata = { title: "Alarms" };
export const dynamic = "force-dynamic";

const DAYS = 14;

export default async function AlarmsPage({ params }: { params: Promise<{ env: string }> }) {
  await requireUser();
  const { env } = await params;
  const stack = await getStack(await db(), env);
  if (!stack) notFound();
  const { alarms, alarmsError, history, historyError } = await stackAlarmsPage(env, stack.region, DAYS);
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader
          title="Alarms"
          description="CloudWatch alarms on this stack's services, database and load balancer"
          actions={<PageRefresher seconds={30} />}
        />
        <CardBody>
          {alarmsError ? (
            <Alert tone="failed" title="Could not read alarms">
              {alarmsError}
            </Alert>
          ) : (
            <AlarmsTable env={env} alarms={alarms} />
          )}
        </CardBody>
      </Card>
      <Card>
        <CardHeader title="History" description={`State changes and configuration updates of the last ${DAYS} days`} />
        <CardBody>
          {historyError ? (
            <Alert tone="failed" title="Could not read alarm history">
              {historyError}
            </Alert>
          ) : history.length === 0 ? (
            <p className="text-sm text-muted-foreground">No alarm history in this period.</p>
          ) : (
            <Table aria-label="Alarm history">
              <thead>
                <tr>
                  <Th>When</Th>
                  <Th>Alarm</Th>
                  <Th>Change</Th>
                  <Th>Summary</Th>
                  <Th>Logs</Th>
                </tr>
              </thead>
              <tbody>
                {history.map((h, i) => (
                  <tr key={`${h.alarm}-${h.at}-${i}`} data-testid="alarm-history-row">
                    <Td className="text-xs">
                      <RelativeTime ms={h.at} />
                    </Td>
                    <Td className="font-mono text-xs">{h.alarm}</Td>
                    <Td>
                      {h.to ? (
                        <StatusBadge state={h.to} tone={h.to === "INSUFFICIENT_DATA" ? "neutral" : undefined} />
                      ) : (
                        <span className="text-xs text-muted-foreground">{h.type}</span>
                      )}
                    </Td>
                    <Td className="text-xs">{h.summary}</Td>
                    <Td className="text-xs">
                      <Link href={logsAt(env, h.at)} className="text-primary hover:underline">
                        Logs then
                      </Link>
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          )}
        </CardBody>
      </Card>
    </div>
  );
}
