import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader } from "@/components/layout/page-header";
import { StackForm } from "@/components/provisioning/stack-form";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { config } from "@/server/config";

export const metadata: Metadata = { title: "New stack" };

// Viewers see the form read-only; the actions refuse them on the server as well.
export default async function NewStackPage({ searchParams }: { searchParams: Promise<{ adopt?: string }> }) {
  const user = await requireUser();
  const adopt = (await searchParams).adopt === "1";
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href="/stacks" className="hover:underline">
            Stacks
          </Link>
        }
        title={adopt ? "Adopt an existing stack" : "New stack"}
        description={
          adopt
            ? "The console finds the resources by the Terraform walkthrough's names and tags, shows what it would change, and manages the stack from then on."
            : "Everything the Terraform walkthrough creates, from a form. Defaults are the walkthrough's values; you review the plan and cost before anything is created."
        }
      />
      <StackForm mode={adopt ? "adopt" : "new"} readOnly={!hasRole(user.role, "operator")} defaultRegion={config().AWS_REGION} />
    </>
  );
}
