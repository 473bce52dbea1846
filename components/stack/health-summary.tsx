import { StatusBadge } from "@/components/ui/status-badge";
import type { StackHealthSummary } from "@/lib/ops/health-types";

/** One line for the stacks list: services steady? targets healthy? alarms firing? (server component, no JS) */
export function HealthSummary({ health }: { health: StackHealthSummary | undefined }) {
  if (!health) return <span className="text-xs text-muted-foreground">—</span>;
  const parts: string[] = [];
  const { services: s, targets: t, alarms: a } = health;
  parts.push(
    s.ok
      ? s.data.count === 0
        ? "no services"
        : `${s.data.steady}/${s.data.count} services steady · ${s.data.running}/${s.data.desired} tasks`
      : "services unreadable",
  );
  parts.push(t.ok ? (t.data.total === 0 ? "no targets" : `${t.data.healthy}/${t.data.total} targets healthy`) : "targets unreadable");
  parts.push(
    a.ok
      ? a.data.firing.length
        ? `${a.data.firing.length} alarm${a.data.firing.length > 1 ? "s" : ""} firing`
        : "no alarms firing"
      : "alarms unreadable",
  );
  const label =
    health.tone === "ok" ? "healthy" : health.tone === "pending" ? "converging" : health.tone === "failed" ? "attention" : "empty";
  const title =
    [s.ok ? null : s.error, t.ok ? null : t.error, a.ok ? a.data.firing.join(", ") || null : a.error].filter(Boolean).join(" · ") ||
    undefined;
  return (
    <span className="flex flex-wrap items-center gap-2" data-testid="stack-health" data-tone={health.tone} title={title}>
      <StatusBadge tone={health.tone} label={label} />
      <span className="text-xs text-muted-foreground">{parts.join(" · ")}</span>
    </span>
  );
}
