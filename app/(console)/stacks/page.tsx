import { Boxes } from "lucide-react";
import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUser } from "@/server/auth/current";

export const metadata: Metadata = { title: "Stacks" };

export default async function StacksPage() {
  await requireUser();
  return (
    <>
      <PageHeader title="Stacks" description="Each stack is one Prefect 3 environment on ECS Fargate: server, workers, database, load balancer, alarms." />
      <EmptyState icon={<Boxes />} title="No stacks yet">
        Provision a new Prefect stack from a form, or adopt one that the Terraform walkthrough already created. You&apos;ll review the plan and its monthly cost before
        anything is created.
      </EmptyState>
    </>
  );
}
