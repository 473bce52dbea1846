import { Boxes, Import, Plus } from "lucide-react";
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { StacksTable } from "@/components/stacks-list/stacks-table";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { log } from "@/server/log";
import { stackHealthSummaries } from "@/server/ops/health-summary";
import { activeRun } from "@/server/stack/runs";
import { listStacks } from "@/server/stack/registry";

export const metadata: Metadata = { title: "Stacks" };

export default async function StacksPage() {
  const user = await requireUser();
  const store = await db();
  const stacks = await listStacks(store);
  // Health is read from AWS (a few batched calls per stack); if AWS can't be read, the list still shows.
  const healthPromise = stacks.length
    ? stackHealthSummaries(store).catch((err: unknown) => {
        log.warn("stack health summaries failed", { detail: err instanceof Error ? err.message : String(err) });
        return {};
      })
    : Promise.resolve({});
  const rows = await Promise.all(
    stacks.map(async (s) => ({
      env: s.env,
      region: s.region,
      status: s.status,
      adopted: s.adopted,
      createdBy: s.createdBy,
      createdAt: s.createdAt,
      updatedAt: s.updatedAt,
      activeRunId: (await activeRun(store, s.env))?.id ?? null,
    })),
  );
  const health = await healthPromise;
  const operator = hasRole(user.role, "operator");
  const actions = (
    <>
      <Button asChild variant="outline">
        <Link href="/stacks/new?adopt=1">
          <Import aria-hidden /> Adopt existing
        </Link>
      </Button>
      <Button asChild>
        <Link href="/stacks/new">
          <Plus aria-hidden /> New stack
        </Link>
      </Button>
    </>
  );
  return (
    <>
      <PageHeader
        title="Stacks"
        description="Each stack is one Prefect 3 environment on ECS Fargate: server, workers, database, load balancer, alarms."
        actions={rows.length && operator ? actions : undefined}
      />
      {rows.length ? (
        <StacksTable stacks={rows} health={health} />
      ) : (
        <EmptyState icon={<Boxes />} title="No stacks yet" action={<div className="flex gap-2">{actions}</div>}>
          Provision a new Prefect stack from a form, or adopt one that the Terraform walkthrough already created. You&apos;ll review the
          plan and its monthly cost before anything is created.
        </EmptyState>
      )}
    </>
  );
}
