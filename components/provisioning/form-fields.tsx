"use client";
import type * as React from "react";
import { FARGATE_CPU_OPTIONS, fargatePairHint, formatMemory, memoriesFor, nearestMemory } from "@/lib/fargate";
import type { SubnetChoice } from "@/lib/network-choices";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";
import type { FormValues } from "./spec-fields";
import type { StackFormApi } from "./use-stack-form";

// The provisioning form's controls, bound to one field of the form by name: the input's `name` is the field, its
// id `f-<field>`, its label the visible text (what tests and screen readers find it by).

type StringField = { [K in keyof FormValues]: FormValues[K] extends string ? K : never }[keyof FormValues];
type BoolField = { [K in keyof FormValues]: FormValues[K] extends boolean ? K : never }[keyof FormValues];

export function TextField({
  form,
  field,
  label,
  hint,
  disabled,
  ...input
}: {
  form: StackFormApi;
  field: StringField;
  label: string;
  hint?: string;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "form">) {
  return (
    <Field id={`f-${field}`} label={label} hint={hint} error={form.errorFor(field)}>
      <Input
        name={field}
        value={form.values[field]}
        disabled={form.readOnly || disabled}
        onChange={(e) => form.update({ [field]: e.target.value })}
        onBlur={() => form.touch(field)}
        {...input}
      />
    </Field>
  );
}

export function SelectField({
  form,
  field,
  label,
  hint,
  options,
  disabled,
}: {
  form: StackFormApi;
  field: StringField;
  label: string;
  hint?: string;
  /** Values, or `[value, label]` pairs. */
  options: readonly (string | readonly [string, string])[];
  disabled?: boolean;
}) {
  return (
    <Field id={`f-${field}`} label={label} hint={hint} error={form.errorFor(field)}>
      <NativeSelect
        name={field}
        value={form.values[field]}
        disabled={form.readOnly || disabled}
        onChange={(e) => form.update({ [field]: e.target.value })}
      >
        {options.map((o) => {
          const [value, text] = typeof o === "string" ? [o, o] : o;
          return (
            <option key={value} value={value}>
              {text}
            </option>
          );
        })}
      </NativeSelect>
    </Field>
  );
}

export function ToggleField({ form, field, label, hint }: { form: StackFormApi; field: BoolField; label: string; hint: string }) {
  return (
    <label className="flex items-start gap-2 text-sm">
      <input
        type="checkbox"
        name={field}
        className="mt-1"
        checked={form.values[field]}
        disabled={form.readOnly}
        onChange={(e) => form.update({ [field]: e.target.checked })}
      />
      <span>
        {label}
        <span className="block text-xs text-muted-foreground">{hint}</span>
      </span>
    </label>
  );
}

/** CPU and memory of a Fargate task: only the memories valid for the CPU are offered; a new CPU keeps the nearest. */
export function FargateSizeFields({ form, who }: { form: StackFormApi; who: "server" | "worker" }) {
  const cpuField = `${who}Cpu` as const;
  const memField = `${who}Memory` as const;
  const label = who === "server" ? "Server" : "Worker";
  const cpu = Number(form.values[cpuField]);
  const memory = form.values[memField];
  const memories = memoriesFor(cpu);
  return (
    <>
      <Field id={`f-${cpuField}`} label={`${label} CPU`} error={form.errorFor(cpuField)}>
        <NativeSelect
          name={cpuField}
          value={form.values[cpuField]}
          disabled={form.readOnly}
          onChange={(e) =>
            form.update({ [cpuField]: e.target.value, [memField]: String(nearestMemory(Number(e.target.value), Number(memory))) })
          }
        >
          {FARGATE_CPU_OPTIONS.map((o) => (
            <option key={o.cpu} value={o.cpu}>
              {o.cpu} ({o.vcpu} vCPU)
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id={`f-${memField}`} label={`${label} memory`} hint={fargatePairHint(cpu)} error={form.errorFor(memField)}>
        <NativeSelect name={memField} value={memory} disabled={form.readOnly} onChange={(e) => form.update({ [memField]: e.target.value })}>
          {!memories.includes(Number(memory)) ? <option value={memory}>{memory} MB (not valid)</option> : null}
          {memories.map((m) => (
            <option key={m} value={m}>
              {formatMemory(m)}
            </option>
          ))}
        </NativeSelect>
      </Field>
    </>
  );
}

/** Checkboxes for the VPC's subnets, each with its name, AZ, CIDR and whether it is public (routes to an internet gateway). */
export function SubnetPicker({
  form,
  field,
  label,
  hint,
  subnets,
}: {
  form: StackFormApi;
  field: "privateSubnetIds" | "publicSubnetIds";
  label: string;
  hint: string;
  subnets: SubnetChoice[] | undefined;
}) {
  const picked = form.values[field];
  const error = form.errorFor(field);
  return (
    <fieldset className="grid gap-1" aria-describedby={`${field}-msg`}>
      <legend className="text-xs font-medium">{label}</legend>
      {!form.values.vpcId ? (
        <p className="text-xs text-muted-foreground">Pick a VPC first.</p>
      ) : subnets === undefined ? (
        <p className="text-xs text-muted-foreground">Loading subnets…</p>
      ) : subnets.length === 0 ? (
        <p className="text-xs text-muted-foreground">This VPC has no subnets.</p>
      ) : (
        <div className="grid gap-1 rounded-md border p-2">
          {subnets.map((s) => (
            <label key={s.id} className="flex items-center gap-2 text-xs">
              <input
                type="checkbox"
                disabled={form.readOnly || form.locked}
                checked={picked.includes(s.id)}
                onChange={(e) => form.update({ [field]: e.target.checked ? [...picked, s.id] : picked.filter((x) => x !== s.id) })}
              />
              <span className="font-mono">{s.id}</span>
              <span className="text-muted-foreground">
                {s.name || "unnamed"} · {s.az} · {s.cidr}
              </span>
              <span className={s.public ? "rounded bg-pending-soft px-1 text-pending" : "rounded bg-muted px-1 text-muted-foreground"}>
                {s.public ? "public" : "private"}
              </span>
            </label>
          ))}
        </div>
      )}
      <p id={`${field}-msg`} role={error ? "alert" : undefined} className={error ? "text-xs text-failed" : "text-xs text-muted-foreground"}>
        {error?.[0] ?? hint}
      </p>
    </fieldset>
  );
}
