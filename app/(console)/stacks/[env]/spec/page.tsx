import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { StackForm } from "@/components/provisioning/stack-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { config } from "@/server/config";
import { db } from "@/server/db";
import { getStack } from "@/server/stack/registry";

export const metadata: Metadata = { title: "Stack settings" };

// Edit the stored spec → plan → apply (resize the server, the database, the workers; alarms; access).
export default async function StackSpecPage({ params }: { params: Promise<{ env: string }> }) {
  const user = await requireUser();
  const { env } = await params;
  const stack = await getStack(await db(), env);
  if (!stack) notFound();
  const spec = stack.spec;
  const operator = hasRole(user.role, "operator");
  return (
    <div className="grid gap-4">
      {spec ? (
        <StackForm mode="edit" initial={spec} readOnly={!operator} defaultRegion={config().AWS_REGION} />
      ) : (
        <Alert tone="failed">The stored spec of this stack no longer validates; adopt the stack again to rebuild it.</Alert>
      )}
      <Card>
        <CardHeader title="Danger zone" />
        <CardBody className="flex flex-wrap items-center justify-between gap-2 text-sm">
          <span>Destroy every resource of this stack. The database&apos;s final snapshot is kept.</span>
          {operator ? (
            <Button asChild variant="destructive" size="sm">
              <Link href={`/stacks/${env}/destroy`}>Destroy…</Link>
            </Button>
          ) : null}
        </CardBody>
      </Card>
    </div>
  );
}
