"use client";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { DB_INSTANCE_CLASSES } from "@/lib/stack-spec";
import { SelectField, TextField, ToggleField } from "../form-fields";
import { LIMIT_HINTS } from "../spec-fields";
import type { StackFormApi } from "../use-stack-form";

export function DatabaseSection({ form }: { form: StackFormApi }) {
  return (
    <Card>
      <CardHeader title="Database" description="RDS PostgreSQL 15, gp3, encrypted; a final snapshot is kept on destroy." />
      <CardBody className="grid gap-3 sm:grid-cols-2">
        <SelectField form={form} field="dbInstanceClass" label="Instance class" options={DB_INSTANCE_CLASSES} />
        <TextField form={form} field="dbBackupRetentionDays" label="Backup retention (days)" hint="1–35" inputMode="numeric" />
        <TextField form={form} field="dbAllocatedStorage" label="Storage (GB)" hint={LIMIT_HINTS.dbAllocatedStorage} inputMode="numeric" />
        <TextField
          form={form}
          field="dbMaxAllocatedStorage"
          label="Max storage (GB)"
          hint="Storage autoscaling limit; 0 turns it off"
          inputMode="numeric"
        />
        <ToggleField
          form={form}
          field="dbMultiAz"
          label="Multi-AZ"
          hint="A standby in a second Availability Zone (doubles the database cost)"
        />
        <ToggleField
          form={form}
          field="dbDeletionProtection"
          label="Deletion protection"
          hint="The database cannot be deleted until this is turned off"
        />
        <ToggleField
          form={form}
          field="dbApplyImmediately"
          label="Apply database changes now"
          hint="Off: class, storage and Multi-AZ changes wait for the next maintenance window (Sun 04:30 UTC) and show as pending until then"
        />
      </CardBody>
    </Card>
  );
}
