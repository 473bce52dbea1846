"use client";
import type { StackSpec } from "@/lib/stack-spec";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CostCard } from "./cost-card";
import { PlanReview } from "./plan-review";
import { PreflightCard } from "./preflight-card";
import { AdoptSection } from "./sections/adopt-section";
import { AlarmsSection } from "./sections/alarms-section";
import { DatabaseSection } from "./sections/database-section";
import { LoadBalancerSection } from "./sections/load-balancer-section";
import { NetworkSection } from "./sections/network-section";
import { ServerSection } from "./sections/server-section";
import { WorkersSection } from "./sections/workers-section";
import { useNetworkChoices } from "./use-network-choices";
import { useStackForm, type FormMode } from "./use-stack-form";

export type { FormMode } from "./use-stack-form";

// The provisioning form: fill → inline validation (same zod schema as the server) + live cost → Review plan
// (server observes AWS, nothing changes) → Apply (starts a durable run) → the run page. State lives in
// useStackForm; each card is a section in ./sections bound to it (a new field: FormValues + a control in a section).
export function StackForm(props: { mode: FormMode; initial?: StackSpec; readOnly: boolean; defaultRegion: string }) {
  const form = useStackForm(props);
  const network = useNetworkChoices(form);

  if (form.plan) return <PlanReview form={form} plan={form.plan} />;

  return (
    <form
      noValidate
      className="grid gap-4 lg:grid-cols-[1fr_22rem]"
      onSubmit={(e) => {
        e.preventDefault();
        form.review();
      }}
    >
      <div className="grid gap-4">
        {form.readOnly ? (
          <Alert tone="neutral">You are a viewer: you can look at the form, but only operators can plan and apply stacks.</Alert>
        ) : null}
        {form.message ? <Alert tone="failed">{form.message}</Alert> : null}
        {form.mode === "adopt" ? <AdoptSection form={form} /> : null}
        {form.showFields ? (
          <>
            <NetworkSection form={form} network={network} />
            <LoadBalancerSection form={form} />
            <ServerSection form={form} />
            <DatabaseSection form={form} />
            <WorkersSection form={form} />
            <AlarmsSection form={form} />
            <div className="flex gap-2">
              <Button type="submit" disabled={form.pending || form.readOnly}>
                {form.pending ? "Planning…" : "Review plan"}
              </Button>
              {form.hasLocalErrors && form.submitted ? (
                <span className="self-center text-xs text-failed">Fix the highlighted fields first.</span>
              ) : null}
            </div>
          </>
        ) : null}
      </div>
      <div className="grid gap-4 self-start lg:sticky lg:top-4">
        <CostCard cost={form.cost} />
        {form.mode === "new" ? <PreflightCard spec={form.hasLocalErrors ? undefined : form.candidate} disabled={form.readOnly} /> : null}
      </div>
    </form>
  );
}
