import type { Metadata } from "next";
import { z } from "zod";
import { AuditFilters } from "@/components/audit/audit-filters";
import { AuditTable } from "@/components/audit/audit-table";
import { PageHeader } from "@/components/layout/page-header";
import { distinctAuditActions, listAudit } from "@/server/audit/audit";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";

export const metadata: Metadata = { title: "Audit log" };

const query = z.object({
  q: z.string().max(200).optional(),
  action: z.string().max(100).optional(),
  outcome: z.enum(["ok", "error", "denied"]).optional(),
  target: z.string().max(300).optional(),
});

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await requireUser();
  const raw = await searchParams;
  const parsed = query.safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string" && v !== "")));
  const filter = parsed.success ? parsed.data : {};
  const store = await db();
  const [events, actions] = await Promise.all([listAudit(store, { ...filter, limit: 200 }), distinctAuditActions(store)]);
  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change made through the console: who, what, when, with which parameters, and the outcome."
      />
      <AuditFilters actions={actions} current={filter} />
      <AuditTable events={events} />
    </>
  );
}
