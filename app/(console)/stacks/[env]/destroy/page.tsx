import type { Metadata } from "next";
import { DestroyForm } from "@/components/provisioning/destroy-form";
import { PlanSummary, PlanView } from "@/components/provisioning/plan-view";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { hasRole } from "@/lib/roles";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { safeMessage } from "@/server/errors";
import { previewDestroy } from "@/server/stack/service";

export const metadata: Metadata = { title: "Destroy stack" };

export default async function DestroyPage({ params }: { params: Promise<{ env: string }> }) {
  const user = await requireUser();
  const { env } = await params;
  let plan;
  let error: string | undefined;
  try {
    plan = await previewDestroy(await db(), env);
  } catch (err) {
    error = safeMessage(err, "Planning the destroy");
  }
  return (
    <div className="grid gap-4">
      <Card>
        <CardHeader
          title={`Destroy ${env}`}
          description="Deletes every resource of the stack in reverse dependency order. The database's final snapshot is kept."
        />
        <CardBody className="grid gap-3">
          {error ? <Alert tone="failed">{error}</Alert> : null}
          {plan ? <PlanSummary plan={plan} /> : null}
          {plan?.blockers.map((b) => (
            <Alert key={b} tone="failed" title="Destroy is blocked">
              {b}
            </Alert>
          ))}
          <Alert tone="pending" title="What stays">
            A final snapshot <code>prefect-{env}-final</code> of the database (restore it to get the flow-run history back), and the secrets
            for 7 days (re-creating {env} within that window restores them).
          </Alert>
          <DestroyForm env={env} blocked={!plan || plan.blockers.length > 0} readOnly={!hasRole(user.role, "operator")} />
        </CardBody>
      </Card>
      {plan ? <PlanView plan={plan} /> : null}
    </div>
  );
}
