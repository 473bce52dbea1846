"use client";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/input";
import { REGIONS } from "@/lib/stack-spec";
import { TextField } from "../form-fields";
import type { StackFormApi } from "../use-stack-form";

/** Adopt: name the environment and region, find what exists; the other sections appear filled from it. */
export function AdoptSection({ form }: { form: StackFormApi }) {
  const found = form.adoptFound;
  return (
    <Card>
      <CardHeader
        title="Adopt an existing stack"
        description="Point at the environment the Terraform walkthrough (or anything using the same names) created."
      />
      <CardBody className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <TextField
          form={form}
          field="env"
          label="Environment name"
          hint="e.g. production (resources are named prefect-<env>)"
          disabled={found !== undefined}
        />
        <Field id="f-adopt-region" label="Region">
          <NativeSelect
            value={form.values.region}
            disabled={form.readOnly || found !== undefined}
            onChange={(e) => form.update({ region: e.target.value })}
          >
            {REGIONS.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </NativeSelect>
        </Field>
        <Button type="button" variant="outline" disabled={form.readOnly || form.pending || found !== undefined} onClick={form.discover}>
          {form.pending ? "Looking…" : "Find resources"}
        </Button>
        {found ? (
          <div className="text-xs sm:col-span-3">
            <p>Found: {found.found.join(", ")}.</p>
            {found.missing.length ? (
              <p className="text-muted-foreground">Not found (the plan creates them): {found.missing.join(", ")}.</p>
            ) : null}
            <p className="text-muted-foreground">
              The fields below are filled from what exists. Review the plan to see what the console would change.
            </p>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}
