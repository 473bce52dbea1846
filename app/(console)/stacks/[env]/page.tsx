import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StackOverview } from "@/components/stack/stack-overview";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { sharedSnapshotParts } from "@/server/ops/snapshot-cache";

export async function generateMetadata({ params }: { params: Promise<{ env: string }> }): Promise<Metadata> {
  return { title: (await params).env };
}

export const dynamic = "force-dynamic";

// The operations overview. Only the registry row is awaited here; every panel's promise goes to the client, which
// shows it in its own Suspense boundary as its AWS answer streams in (a slow API or an unreachable Prefect delays
// only its panel). The refresh route shares these same reads (server/ops/snapshot-cache.ts).
export default async function StackPage({ params }: { params: Promise<{ env: string }> }) {
  const user = await requireUser();
  const { env } = await params;
  const parts = await sharedSnapshotParts(await db(), env);
  if (!parts) notFound();
  return (
    <StackOverview
      head={parts.head}
      panels={parts.panels}
      duration={parts.done.then((d) => d.durationMs)}
      canOperate={hasRole(user.role, "operator")}
    />
  );
}
