"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { destroyStack } from "@/app/(console)/stacks/[env]/destroy/actions";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** Typed confirmation of the environment name, then a destroy run. */
export function DestroyForm({ env, blocked, readOnly }: { env: string; blocked: boolean; readOnly: boolean }) {
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <form
      className="grid max-w-md gap-3"
      onSubmit={(e) => {
        e.preventDefault();
        setError(undefined);
        start(async () => {
          const r = await destroyStack({ env, confirm: typed });
          if (r.ok) router.push(`/stacks/${env}/runs/${r.data.runId}`);
          else setError(r.fieldErrors?.confirm?.[0] ?? r.error);
        });
      }}
    >
      {error ? <Alert tone="failed">{error}</Alert> : null}
      <Field
        id="destroy-confirm"
        label={
          <>
            Type <code className="rounded bg-muted px-1">{env}</code> to confirm
          </>
        }
      >
        <Input value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" disabled={readOnly || blocked} />
      </Field>
      <Button type="submit" variant="destructive" disabled={readOnly || blocked || pending || typed !== env}>
        {pending ? "Starting…" : `Destroy ${env}`}
      </Button>
    </form>
  );
}
