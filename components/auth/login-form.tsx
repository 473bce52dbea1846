"use client";
import { useState, useTransition } from "react";
import { login } from "@/app/(auth)/login/actions";
import { loginSchema } from "@/lib/schemas/auth";
import type { FieldErrors } from "@/lib/action-result";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { clientFieldErrors } from "@/lib/client-validate";

export function LoginForm({ next }: { next?: string }) {
  const [error, setError] = useState<string>();
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [pending, start] = useTransition();
  return (
    <Card className="p-5">
      <h1 className="mb-4 text-base font-semibold">Sign in</h1>
      <form
        noValidate
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          const input = { email: String(form.get("email") ?? ""), password: String(form.get("password") ?? "") };
          const local = clientFieldErrors(loginSchema, input);
          setFieldErrors(local);
          setError(undefined);
          if (Object.keys(local).length) return;
          start(async () => {
            const res = await login(input, next);
            if (res && !res.ok) {
              setError(res.error);
              setFieldErrors(res.fieldErrors ?? {});
            }
          });
        }}
      >
        {error ? <Alert tone="failed">{error}</Alert> : null}
        <Field id="email" label="Email" error={fieldErrors.email}>
          <Input name="email" type="email" autoComplete="username" autoFocus />
        </Field>
        <Field id="password" label="Password" error={fieldErrors.password}>
          <Input name="password" type="password" autoComplete="current-password" />
        </Field>
        <Button type="submit" disabled={pending} className="mt-1">
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
    </Card>
  );
}
