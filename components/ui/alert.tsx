import * as React from "react";
import { cn } from "@/lib/cn";
import type { Tone } from "./status-badge";

const styles: Record<Tone, string> = {
  ok: "border-ok/40 bg-ok-soft",
  pending: "border-pending/40 bg-pending-soft",
  failed: "border-failed/40 bg-failed-soft",
  neutral: "border-border bg-muted",
};

export function Alert({
  tone = "neutral",
  title,
  children,
  className,
}: {
  tone?: Tone;
  title?: string;
  children?: React.ReactNode;
  className?: string;
}) {
  return (
    <div role={tone === "failed" ? "alert" : "status"} className={cn("rounded-md border px-3 py-2 text-sm", styles[tone], className)}>
      {title ? <p className="font-medium">{title}</p> : null}
      {children ? <div className={title ? "mt-0.5 text-muted-foreground" : undefined}>{children}</div> : null}
    </div>
  );
}
