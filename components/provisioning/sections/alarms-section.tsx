"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { TextField } from "../form-fields";
import type { StackFormApi } from "../use-stack-form";

export function AlarmsSection({ form }: { form: StackFormApi }) {
  return (
    <Card>
      <CardHeader title="Alarms" description="Server and worker CPU/memory, ALB 5xx and unhealthy hosts, database CPU and free storage." />
      <CardBody className="grid gap-3 sm:grid-cols-2">
        <TextField
          form={form}
          field="cpuAlarmThreshold"
          label="CPU alarm threshold (%)"
          hint="prefect-high-cpu-<env> fires above this"
          inputMode="numeric"
        />
        <TextField form={form} field="snsTopicArn" label="SNS topic ARN (optional)" hint="Alarm and OK notifications go here" />
      </CardBody>
    </Card>
  );
}
