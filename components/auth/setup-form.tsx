"use client";
import { useState, useTransition } from "react";
import { setupAdmin } from "@/app/(auth)/setup/actions";
import { clientFieldErrors } from "@/lib/client-validate";
import { setupSchema } from "@/lib/schemas/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

export function SetupForm() {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [error, setError] = useState<string>();
  const [pending, start] = useTransition();
  return (
    <Card className="p-5">
      <h1 className="text-base font-semibold">Create the first admin</h1>
      <p className="mb-4 mt-1 text-xs text-muted-foreground">This page is shown once, while the console has no users.</p>
      <form
        noValidate
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const f = new FormData(e.currentTarget);
          const input = {
            email: String(f.get("email") ?? ""),
            name: String(f.get("name") ?? ""),
            password: String(f.get("password") ?? ""),
          };
          const local = clientFieldErrors(setupSchema, input);
          setErrors(local);
          if (Object.keys(local).length) return;
          start(async () => {
            const res = await setupAdmin(input);
            if (res && !res.ok) {
              setError(res.error);
              setErrors(res.fieldErrors ?? {});
            }
          });
        }}
      >
        {error ? <Alert tone="failed">{error}</Alert> : null}
        <Field id="setup-email" label="Email" error={errors.email}>
          <Input name="email" type="email" autoComplete="username" />
        </Field>
        <Field id="setup-name" label="Name" error={errors.name}>
          <Input name="name" autoComplete="name" />
        </Field>
        <Field id="setup-password" label="Password" error={errors.password} hint="At least 12 characters.">
          <Input name="password" type="password" autoComplete="new-password" />
        </Field>
        <Button type="submit" disabled={pending}>
          {pending ? "Creating…" : "Create admin and sign in"}
        </Button>
      </form>
    </Card>
  );
}
