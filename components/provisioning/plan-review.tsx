"use client";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CostCard } from "./cost-card";
import { PlanSummary, PlanView } from "./plan-view";
import type { StackFormApi } from "./use-stack-form";
import type { Plan } from "@/lib/plan";

/** The reviewed plan with its cost: back to the form, or apply (a background run the user can follow and cancel). */
export function PlanReview({ form, plan }: { form: StackFormApi; plan: Plan }) {
  const changes = plan.counts.create + plan.counts.update + plan.counts.replace + plan.counts.delete;
  return (
    <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
      <div className="grid gap-3">
        <Card>
          <CardHeader
            title={`Review the plan for ${plan.env}`}
            description="Nothing has been changed in AWS. Apply starts a background run you can follow and cancel."
          />
          <CardBody className="grid gap-3">
            <PlanSummary plan={plan} />
            {form.message ? <Alert tone="failed">{form.message}</Alert> : null}
            <div className="flex gap-2">
              <Button variant="outline" onClick={form.closePlan} disabled={form.pending}>
                Back to the form
              </Button>
              <Button onClick={form.apply} disabled={form.pending || form.readOnly}>
                {form.pending ? "Starting…" : changes === 0 ? "Apply (verify only)" : `Apply ${changes} change${changes === 1 ? "" : "s"}`}
              </Button>
            </div>
          </CardBody>
        </Card>
        <PlanView plan={plan} />
      </div>
      <CostCard cost={plan.cost} className="self-start lg:sticky lg:top-4" />
    </div>
  );
}
