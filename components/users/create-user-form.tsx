"use client";
import { useRef, useState, useTransition } from "react";
import { createUser } from "@/app/(console)/users/actions";
import { clientFieldErrors } from "@/lib/client-validate";
import { ROLES, roleDescriptions } from "@/lib/roles";
import { createUserSchema } from "@/lib/schemas/auth";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";

export function CreateUserForm() {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<{ tone: "ok" | "failed"; text: string }>();
  const [pending, start] = useTransition();
  const formRef = useRef<HTMLFormElement>(null);
  return (
    <Card>
      <CardHeader title="Add a user" description="Share the temporary password with them directly." />
      <CardBody>
        <form
          ref={formRef}
          noValidate
          aria-label="Add a user"
          className="grid gap-3"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const input = {
              email: String(f.get("email") ?? ""),
              name: String(f.get("name") ?? ""),
              role: String(f.get("role") ?? ""),
              password: String(f.get("password") ?? ""),
            };
            const local = clientFieldErrors(createUserSchema, input);
            setErrors(local);
            setMessage(undefined);
            if (Object.keys(local).length) return;
            start(async () => {
              const res = await createUser(input);
              if (res.ok) {
                setMessage({ tone: "ok", text: `Added ${input.email}.` });
                formRef.current?.reset();
              } else {
                setErrors(res.fieldErrors ?? {});
                setMessage({ tone: "failed", text: res.error });
              }
            });
          }}
        >
          {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
          <Field id="new-email" label="Email" error={errors.email}>
            <Input name="email" type="email" autoComplete="off" />
          </Field>
          <Field id="new-name" label="Name" error={errors.name}>
            <Input name="name" autoComplete="off" />
          </Field>
          <Field id="new-role" label="Role" error={errors.role}>
            <NativeSelect name="role" defaultValue="viewer">
              {ROLES.map((r) => (
                <option key={r} value={r}>
                  {r} — {roleDescriptions[r]}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field id="new-password" label="Temporary password" error={errors.password} hint="At least 12 characters.">
            <Input name="password" type="password" autoComplete="new-password" />
          </Field>
          <Button type="submit" disabled={pending}>
            {pending ? "Adding…" : "Add user"}
          </Button>
        </form>
      </CardBody>
    </Card>
  );
}
