import type { Plan, PlanItem } from "@/lib/plan";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { StatusBadge, type Tone } from "@/components/ui/status-badge";

// A plan, grouped by area, one row per resource: action badge, AWS name, what changes. Read-only.

const actionTone: Record<PlanItem["action"], Tone> = {
  create: "ok",
  update: "pending",
  replace: "failed",
  delete: "failed",
  noop: "neutral",
};
const actionLabel: Record<PlanItem["action"], string> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  noop: "no change",
};

export function PlanSummary({ plan }: { plan: Plan }) {
  const c = plan.counts;
  const parts = [
    c.create && `${c.create} to create`,
    c.update && `${c.update} to update`,
    c.replace && `${c.replace} to replace`,
    c.delete && `${c.delete} to delete`,
    c.noop && `${c.noop} unchanged`,
  ].filter(Boolean);
  return (
    <>
      <p className="text-sm" data-testid="plan-summary">
        {parts.join(" · ") || "Nothing to do"}
      </p>
      {(plan.warnings ?? []).map((w) => (
        <p key={w} role="status" className="rounded-md border border-pending/40 bg-pending-soft px-3 py-2 text-sm">
          {w}
        </p>
      ))}
    </>
  );
}

export function PlanView({ plan }: { plan: Plan }) {
  const groups = [...new Set(plan.items.map((i) => i.group))];
  return (
    <div className="grid gap-3">
      {groups.map((g) => (
        <Card key={g}>
          <CardHeader title={g[0]?.toUpperCase() + g.slice(1)} />
          <CardBody className="p-0">
            <ul className="divide-y">
              {plan.items
                .filter((i) => i.group === g)
                .map((i) => (
                  <li key={i.key} className="grid gap-1 px-4 py-2 text-sm" data-testid={`plan-item-${i.key}`}>
                    <div className="flex flex-wrap items-center gap-2">
                      <StatusBadge tone={actionTone[i.action]} label={actionLabel[i.action]} />
                      <span className="text-muted-foreground">{i.kind}</span>
                      <span className="font-mono text-xs">{i.name}</span>
                      {i.current ? <span className="text-xs text-muted-foreground">· now {i.current}</span> : null}
                    </div>
                    {i.changes.length ? (
                      <ul className="ml-1 grid gap-0.5 text-xs">
                        {i.changes.map((ch) => (
                          <li key={ch.field} className="font-mono">
                            <span className="text-muted-foreground">{ch.field}:</span>{" "}
                            {ch.from !== undefined ? <span className="line-through opacity-70">{ch.from}</span> : null}
                            {ch.from !== undefined ? " → " : ""}
                            <span>{ch.to ?? ""}</span>
                          </li>
                        ))}
                      </ul>
                    ) : null}
                    {i.notes.map((n) => (
                      <p key={n} className="text-xs text-pending">
                        {n}
                      </p>
                    ))}
                  </li>
                ))}
            </ul>
          </CardBody>
        </Card>
      ))}
    </div>
  );
}
