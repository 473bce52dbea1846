// Isomorphic: a plan as the browser shows it — per resource, what apply would do (the actions mirror Terraform's
// plan actions). server/stack/plan.ts computes it; components/provisioning/plan-view.tsx renders it.
import type { CostEstimate } from "./cost";

export type PlanAction = "noop" | "create" | "update" | "replace" | "delete";

/** One changed field: `from`/`to` are short display strings (never secret values). */
export interface FieldChange {
  field: string;
  from?: string;
  to?: string;
}

export type ResourceGroup = "secrets" | "network" | "database" | "compute" | "identity" | "load balancer" | "monitoring" | "prefect";

export interface PlanItem {
  key: string;
  kind: string;
  group: ResourceGroup;
  name: string;
  action: PlanAction;
  changes: FieldChange[];
  notes: string[];
  deps: string[];
  /** What exists now, in a word ("available", "2/2 running"); empty when absent. */
  current: string;
}

export interface Plan {
  env: string;
  region: string;
  kind: "apply" | "destroy";
  items: PlanItem[];
  counts: Record<PlanAction, number>;
  cost: CostEstimate;
  /** Reasons the plan cannot be applied as it is (e.g. deletion protection on destroy). */
  blockers: string[];
  /** Things to know before applying (e.g. a "new" stack whose names exist already). */
  warnings?: string[];
  createdAt: number;
}
