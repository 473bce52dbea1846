import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RunProgress } from "@/components/provisioning/run-progress";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { getRun } from "@/server/stack/runs";

export const metadata: Metadata = { title: "Run" };

export default async function RunPage({ params }: { params: Promise<{ env: string; id: string }> }) {
  const user = await requireUser();
  const { env, id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) notFound();
  const run = await getRun(await db(), id);
  if (!run || run.env !== env) notFound();
  return <RunProgress initial={run} canCancel={hasRole(user.role, "operator")} />;
}
