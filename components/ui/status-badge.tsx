import { cn } from "@/lib/cn";

/** The one status palette: ok (green), pending (amber), failed (red), neutral (grey). */
export type Tone = "ok" | "pending" | "failed" | "neutral";

const tones: Record<Tone, string> = {
  ok: "bg-ok-soft text-ok border-ok/30",
  pending: "bg-pending-soft text-pending border-pending/30",
  failed: "bg-failed-soft text-failed border-failed/30",
  neutral: "bg-muted text-muted-foreground border-border",
};

const dots: Record<Tone, string> = { ok: "bg-ok", pending: "bg-pending", failed: "bg-failed", neutral: "bg-muted-foreground" };

/** Maps the words AWS and Prefect use to a tone, so every page colours the same state the same way. */
export function toneFor(state: string | undefined | null): Tone {
  const s = (state ?? "").toUpperCase().replace(/[\s-]+/g, "_");
  if (/^(OK|ACTIVE|AVAILABLE|RUNNING|HEALTHY|READY|ONLINE|COMPLETED|STEADY|SUCCEEDED|DONE|NOOP|NO_OP|CONVERGED|IN_SYNC)$/.test(s))
    return "ok";
  if (
    /^(ALARM|FAILED|STOPPED|UNHEALTHY|ERROR|OFFLINE|DEGRADED|NOT_READY|CANCELLED|DELETE_FAILED|INCOMPATIBLE_PARAMETERS|UNREACHABLE)$/.test(
      s,
    )
  )
    return "failed";
  if (s === "") return "neutral";
  return "pending";
}

export function StatusBadge({ state, tone, label, className }: { state?: string | null; tone?: Tone; label?: string; className?: string }) {
  const t = tone ?? toneFor(state);
  return (
    <span className={cn("inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium", tones[t], className)}>
      <span aria-hidden className={cn("size-1.5 rounded-full", dots[t])} />
      {label ?? state ?? "unknown"}
    </span>
  );
}
