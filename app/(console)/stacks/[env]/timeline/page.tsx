import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { TimelineList } from "@/components/stack/timeline-list";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { stackTimeline } from "@/server/ops/timeline";
import { getStack } from "@/server/stack/registry";

export const metadata: Metadata = { title: "Timeline" };
export const dynamic = "force-dynamic";

export default async function TimelinePage({ params }: { params: Promise<{ env: string }> }) {
  await requireUser();
  const { env } = await params;
  const store = await db();
  const stack = await getStack(store, env);
  if (!stack) notFound();
  const t = await stackTimeline(store, stack);
  return (
    <div className="grid gap-4">
      {t.errors.map((e) => (
        <Alert key={e.source} tone="pending" title={`${e.source} could not be read; the timeline shows the other sources`}>
          {e.message}
        </Alert>
      ))}
      <Card>
        <CardHeader
          title="Timeline"
          description="Service events, deployments, auto scaling, alarm state changes and console actions of the last 7 days, newest first"
        />
        <CardBody>
          <TimelineList env={env} entries={t.entries} />
        </CardBody>
      </Card>
    </div>
  );
}
