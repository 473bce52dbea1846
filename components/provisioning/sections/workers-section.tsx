"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { WORKER_POOL_TYPES } from "@/lib/stack-spec";
import { FargateSizeFields, SelectField, TextField } from "../form-fields";
import type { StackFormApi } from "../use-stack-form";

/** The worker service and its auto scaling (minimum ≤ desired ≤ maximum, CPU target tracking). */
export function WorkersSection({ form }: { form: StackFormApi }) {
  return (
    <Card>
      <CardHeader title="Workers" description="prefect worker start --pool <pool>, auto-scaled on CPU." />
      <CardBody className="grid gap-3 sm:grid-cols-2">
        <TextField
          form={form}
          field="workerPoolName"
          label="Work pool"
          hint="Created with the 'default' process pool once the server is healthy"
        />
        <SelectField form={form} field="workerPoolType" label="Worker type" options={WORKER_POOL_TYPES} />
        <TextField form={form} field="workerImage" label="Worker image" />
        <TextField
          form={form}
          field="workerCpuTarget"
          label="CPU target (%)"
          hint="Auto scaling keeps average CPU near this"
          inputMode="numeric"
        />
        <FargateSizeFields form={form} who="worker" />
        <TextField form={form} field="workerMinCount" label="Minimum" inputMode="numeric" />
        <TextField form={form} field="workerDesiredCount" label="Desired" inputMode="numeric" />
        <TextField form={form} field="workerMaxCount" label="Maximum" inputMode="numeric" />
      </CardBody>
    </Card>
  );
}
