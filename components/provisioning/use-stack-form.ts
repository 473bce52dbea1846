"use client";
import { useRouter } from "next/navigation";
import { useMemo, useState, useTransition } from "react";
import { applyStack, discoverExisting, planStack } from "@/app/(console)/stacks/new/actions";
import { clientFieldErrors } from "@/lib/client-validate";
import { estimateDraftCost } from "@/lib/cost";
import { REGIONS, SEED_DEFAULTS, stackSpecSchema, type StackSpec } from "@/lib/stack-spec";
import type { Plan } from "@/lib/plan";
import { specFromValues, valuesFromSpec, type FormValues } from "./spec-fields";

export type FormMode = "new" | "edit" | "adopt";

/** The actions take `{ spec, mode }`, so the server's field paths start with `spec.`; the form's don't. */
const unprefixed = (errors: Record<string, string[]> | undefined) =>
  Object.fromEntries(Object.entries(errors ?? {}).map(([k, v]) => [k.replace(/^spec\./, ""), v]));

/**
 * The provisioning form's state: the values (strings, as inputs hold them), inline validation with the shared zod
 * schema (a field's message shows once it is touched or the form was submitted; a server message until the field
 * changes), the live cost, and the three server steps — find existing resources (adopt), review the plan, apply.
 */
export function useStackForm({
  mode,
  initial,
  readOnly,
  defaultRegion,
}: {
  mode: FormMode;
  initial?: StackSpec;
  readOnly: boolean;
  defaultRegion: string;
}) {
  const router = useRouter();
  const [values, setValues] = useState<FormValues>(() =>
    valuesFromSpec(initial ?? { region: (REGIONS as readonly string[]).includes(defaultRegion) ? defaultRegion : SEED_DEFAULTS.region }),
  );
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string>();
  const [plan, setPlan] = useState<Plan>();
  const [adoptFound, setAdoptFound] = useState<{ found: string[]; missing: string[] }>();
  const [pending, start] = useTransition();

  const candidate = useMemo(() => specFromValues(values), [values]);
  const localErrors = useMemo(() => clientFieldErrors(stackSpecSchema, candidate), [candidate]);
  const cost = useMemo(() => estimateDraftCost(candidate), [candidate]);

  /**
   * Changes fields; each counts as touched and loses its server message. `reset` fields follow without being
   * touched (a new VPC clears the subnets, which show no message until the user picks or submits).
   */
  const update = (patch: Partial<FormValues>, reset: Partial<FormValues> = {}) => {
    const keys = [...Object.keys(patch), ...Object.keys(reset)];
    setValues((old) => ({ ...old, ...reset, ...patch }));
    setTouched((t) => ({ ...t, ...Object.fromEntries(Object.keys(patch).map((k) => [k, true])) }));
    setServerErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !keys.includes(k))));
  };

  const fail = (r: { error: string; fieldErrors?: Record<string, string[]> }) => {
    setServerErrors(unprefixed(r.fieldErrors));
    setMessage(r.error);
  };

  const review = () => {
    setSubmitted(true);
    setMessage(undefined);
    if (Object.keys(localErrors).length) return setMessage("Some fields need attention.");
    start(async () => {
      const r = await planStack({ spec: candidate, mode });
      if (r.ok) setPlan(r.data);
      else fail(r);
    });
  };

  const apply = () => {
    setMessage(undefined);
    start(async () => {
      const r = await applyStack({ spec: candidate, mode });
      if (r.ok) return router.push(`/stacks/${r.data.env}/runs/${r.data.runId}`);
      fail(r);
      if (r.fieldErrors) setPlan(undefined);
    });
  };

  const discover = () =>
    start(async () => {
      setMessage(undefined);
      const r = await discoverExisting({ env: values.env.trim(), region: values.region });
      if (!r.ok) return fail(r);
      setValues(valuesFromSpec(r.data.spec));
      setAdoptFound({ found: r.data.found, missing: r.data.missing });
    });

  return {
    mode,
    readOnly,
    values,
    update,
    /** Fills fields the user has not chosen yet (e.g. subnets once the VPC's are known), without touching them. */
    prefill: setValues as (fn: (old: FormValues) => FormValues) => void,
    touch: (field: keyof FormValues) => setTouched((t) => ({ ...t, [field]: true })),
    /** The message for a field (or its first list item, e.g. `allowedCidrs.0`). */
    errorFor: (field: string): string[] | undefined =>
      serverErrors[field] ??
      serverErrors[`${field}.0`] ??
      (submitted || touched[field] ? (localErrors[field] ?? localErrors[`${field}.0`]) : undefined),
    hasLocalErrors: Object.keys(localErrors).length > 0,
    submitted,
    /** The spec the values make (what plan and preflight are sent); valid once `hasLocalErrors` is false. */
    candidate,
    cost,
    message,
    pending,
    plan,
    closePlan: () => setPlan(undefined),
    review,
    apply,
    discover,
    adoptFound,
    /** Name, region and network of an existing stack cannot change. */
    locked: mode === "edit" || (mode === "adopt" && adoptFound !== undefined),
    /** Adopting: the fields appear once the existing resources were found. */
    showFields: mode !== "adopt" || adoptFound !== undefined,
  };
}

export type StackFormApi = ReturnType<typeof useStackForm>;
