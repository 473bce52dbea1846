"use client";
import { useState, useTransition } from "react";
import { preflightStack } from "@/app/(console)/stacks/new/actions";
import type { PreflightLine } from "@/lib/preflight";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

const MARK: Record<PreflightLine["state"], { sign: string; className: string; word: string }> = {
  ok: { sign: "✓", className: "text-ok", word: "ready" },
  todo: { sign: "•", className: "text-pending", word: "done on apply" },
  fail: { sign: "✗", className: "text-failed", word: "needs attention" },
};

/**
 * The account preflight on the new-stack page: service-linked roles, free names, egress, certificate — each a line
 * with a tick or what to do. `spec` is the form's candidate once it passes the schema (undefined until then).
 */
export function PreflightCard({
  spec,
  disabled,
  className,
}: {
  spec: Record<string, unknown> | undefined;
  disabled?: boolean;
  className?: string;
}) {
  const [lines, setLines] = useState<PreflightLine[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [pending, start] = useTransition();
  const run = () =>
    start(async () => {
      setError(undefined);
      const r = await preflightStack({ spec: spec as never });
      if (r.ok) setLines(r.data);
      else setError(r.error);
    });
  return (
    <Card className={className} aria-label="Account preflight">
      <CardHeader
        title="Account preflight"
        description="Does this account have what the stack needs? Read-only checks."
        actions={
          <Button type="button" variant="outline" size="sm" onClick={run} disabled={pending || disabled || !spec}>
            {pending ? "Checking…" : lines ? "Check again" : "Check account"}
          </Button>
        }
      />
      <CardBody className="grid gap-1.5 text-sm">
        {!spec ? <p className="text-xs text-muted-foreground">Fill in the environment and network first.</p> : null}
        {error ? <p className="text-xs text-failed">{error}</p> : null}
        {lines ? (
          <ul className="grid gap-1.5" data-testid="preflight-lines">
            {lines.map((l) => (
              <li key={l.key} className="flex gap-2" data-state={l.state}>
                <span className={MARK[l.state].className} aria-label={MARK[l.state].word}>
                  {MARK[l.state].sign}
                </span>
                <span>
                  {l.label}
                  <span className="block text-xs text-muted-foreground">{l.detail}</span>
                </span>
              </li>
            ))}
          </ul>
        ) : null}
      </CardBody>
    </Card>
  );
}
