import * as React from "react";
import { cn } from "@/lib/cn";

/**
 * A labelled form field with hint and error. The control gets `id`, `aria-invalid` and `aria-describedby`
 * wired so tests (and screen readers) find it by its label and hear its error.
 */
export function Field({
  id,
  label,
  hint,
  error,
  className,
  children,
}: {
  id: string;
  label: React.ReactNode;
  hint?: React.ReactNode;
  error?: string | string[];
  className?: string;
  children: React.ReactElement<Record<string, unknown>>;
}) {
  const message = Array.isArray(error) ? error[0] : error;
  const describedBy = [hint ? `${id}-hint` : null, message ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("grid gap-1", className)}>
      <label htmlFor={id} className="text-xs font-medium">
        {label}
      </label>
      {React.cloneElement(children, { id, "aria-invalid": message ? true : undefined, "aria-describedby": describedBy })}
      {hint && !message ? (
        <p id={`${id}-hint`} className="text-xs text-muted-foreground">
          {hint}
        </p>
      ) : null}
      {message ? (
        <p id={`${id}-error`} role="alert" className="text-xs text-failed">
          {message}
        </p>
      ) : null}
    </div>
  );
}
