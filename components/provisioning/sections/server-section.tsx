"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { MAX_SERVER_COUNT, SERVER_COUNT_WHY } from "@/lib/stack-spec";
import { FargateSizeFields, TextField, ToggleField } from "../form-fields";
import type { StackFormApi } from "../use-stack-form";

export function ServerSection({ form }: { form: StackFormApi }) {
  return (
    <Card>
      <CardHeader title="Prefect server" description="prefect server start on Fargate behind the load balancer." />
      <CardBody className="grid gap-3 sm:grid-cols-2">
        <TextField form={form} field="prefectImage" label="Prefect image" />
        <TextField
          form={form}
          field="serverDesiredCount"
          label="Server tasks"
          hint={`Always ${MAX_SERVER_COUNT}: ${SERVER_COUNT_WHY}`}
          inputMode="numeric"
          readOnly
        />
        <FargateSizeFields form={form} who="server" />
        <ToggleField
          form={form}
          field="basicAuth"
          label="Basic auth"
          hint="Generate a user:password in Secrets Manager and require it on the API (PREFECT_SERVER_API_AUTH_STRING)"
        />
      </CardBody>
    </Card>
  );
}
