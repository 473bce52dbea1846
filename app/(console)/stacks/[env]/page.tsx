import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { StackOverview } from "@/components/stack/stack-overview";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { sharedSnapshot } from "@/server/ops/snapshot-cache";

export async function generateMetadata({ params }: { params: Promise<{ env: string }> }): Promise<Metadata> {
  return { title: (await params).env };
}

export const dynamic = "force-dynamic";

// The operations overview: one server-side snapshot, then the client refresher keeps it live.
export default async function StackPage({ params }: { params: Promise<{ env: string }> }) {
  const user = await requireUser();
  const { env } = await params;
  const snapshot = await sharedSnapshot(await db(), env);
  if (!snapshot) notFound();
  return <StackOverview initial={snapshot} canOperate={hasRole(user.role, "operator")} />;
}
