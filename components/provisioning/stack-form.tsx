"use client";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState, useTransition } from "react";
import { applyStack, discoverExisting, loadNetwork, planStack } from "@/app/(console)/stacks/new/actions";
import { clientFieldErrors } from "@/lib/client-validate";
import { estimateCost } from "@/lib/cost";
import { FARGATE_CPU_OPTIONS, fargatePairHint, formatMemory, memoriesFor, nearestMemory } from "@/lib/fargate";
import {
  DB_INSTANCE_CLASSES,
  MAX_SERVER_COUNT,
  NAT_GATEWAY_OPTIONS,
  REGIONS,
  SEED_DEFAULTS,
  SERVER_COUNT_WHY,
  stackSpecSchema,
  WORKER_POOL_TYPES,
  type StackSpec,
} from "@/lib/stack-spec";
import type { Plan } from "@/lib/plan";
import type { SubnetChoice, VpcChoice } from "@/lib/network-choices";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input, NativeSelect } from "@/components/ui/input";
import { CostCard } from "./cost-card";
import { PreflightCard } from "./preflight-card";
import { PlanSummary, PlanView } from "./plan-view";
import { LIMIT_HINTS, specFromValues, valuesFromSpec, type FormValues } from "./spec-fields";

export type FormMode = "new" | "edit" | "adopt";

/** The actions take `{ spec, mode }`, so the server's field paths start with `spec.`; the form's don't. */
const unprefixed = (errors: Record<string, string[]> | undefined) =>
  Object.fromEntries(Object.entries(errors ?? {}).map(([k, v]) => [k.replace(/^spec\./, ""), v]));

// The provisioning form: fill → inline validation (same zod schema as the server) + live cost → Review plan
// (server observes AWS, nothing changes) → Apply (starts a durable run) → the run page.
export function StackForm({
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
  const [v, setV] = useState<FormValues>(() =>
    valuesFromSpec(initial ?? { region: (REGIONS as readonly string[]).includes(defaultRegion) ? defaultRegion : SEED_DEFAULTS.region }),
  );
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [submitted, setSubmitted] = useState(false);
  const [serverErrors, setServerErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string>();
  const [plan, setPlan] = useState<Plan>();
  const [pending, start] = useTransition();
  // Network answers are kept with the key they answer, so a stale answer never shows for a new region/VPC.
  const [vpcState, setVpcState] = useState<{ region: string; vpcs: VpcChoice[] }>();
  const [subnetState, setSubnetState] = useState<{ vpcId: string; subnets: SubnetChoice[] }>();
  const [netError, setNetError] = useState<{ key: string; message: string }>();
  const vpcs = vpcState?.region === v.region ? vpcState.vpcs : undefined;
  const subnets = subnetState?.vpcId === v.vpcId ? subnetState.subnets : undefined;
  const networkError = netError && (netError.key === v.region || netError.key === v.vpcId) ? netError.message : undefined;
  const [adoptFound, setAdoptFound] = useState<{ found: string[]; missing: string[] }>();
  const locked = mode === "edit" || (mode === "adopt" && adoptFound !== undefined);
  const showFields = mode !== "adopt" || adoptFound !== undefined;

  const candidate = useMemo(() => specFromValues(v), [v]);
  const localErrors = useMemo(() => clientFieldErrors(stackSpecSchema, candidate), [candidate]);
  const errorFor = (field: string) => serverErrors[field] ?? (submitted || touched[field] ? localErrors[field] : undefined);
  const set = <K extends keyof FormValues>(k: K, value: FormValues[K]) => {
    setV((old) => ({ ...old, [k]: value }));
    setTouched((t) => ({ ...t, [k]: true }));
    setServerErrors((e) => {
      const rest = { ...e };
      delete rest[k];
      return rest;
    });
  };

  // VPCs of the region, then subnets of the VPC (pre-selecting private/public ones for a new stack).
  useEffect(() => {
    if (!showFields) return;
    let live = true;
    const region = v.region;
    void loadNetwork({ region }).then((r) => {
      if (!live) return;
      if (r.ok) setVpcState({ region, vpcs: r.data.vpcs });
      else setNetError({ key: region, message: r.error });
    });
    return () => {
      live = false;
    };
  }, [v.region, showFields]);

  useEffect(() => {
    if (!v.vpcId || !showFields) return;
    let live = true;
    const vpcId = v.vpcId;
    void loadNetwork({ region: v.region, vpcId }).then((r) => {
      if (!live) return;
      if (!r.ok) return setNetError({ key: vpcId, message: r.error });
      setSubnetState({ vpcId, subnets: r.data.subnets });
      setV((old) =>
        old.privateSubnetIds.length || old.publicSubnetIds.length
          ? old
          : {
              ...old,
              privateSubnetIds: r.data.subnets.filter((s) => !s.public).map((s) => s.id),
              publicSubnetIds: r.data.subnets.filter((s) => s.public).map((s) => s.id),
            },
      );
    });
    return () => {
      live = false;
    };
  }, [v.region, v.vpcId, showFields]);

  const cost = useMemo(() => {
    const n = (s: string, d: number) => (Number.isFinite(Number(s)) && s.trim() !== "" ? Number(s) : d);
    return estimateCost({
      region: ((REGIONS as readonly string[]).includes(v.region) ? v.region : SEED_DEFAULTS.region) as StackSpec["region"],
      serverCpu: n(v.serverCpu, 512),
      serverMemory: n(v.serverMemory, 1024),
      serverDesiredCount: n(v.serverDesiredCount, 1),
      dbInstanceClass: ((DB_INSTANCE_CLASSES as readonly string[]).includes(v.dbInstanceClass)
        ? v.dbInstanceClass
        : "db.t3.micro") as StackSpec["dbInstanceClass"],
      dbAllocatedStorage: n(v.dbAllocatedStorage, 20),
      dbMultiAz: v.dbMultiAz,
      workerCpu: n(v.workerCpu, 512),
      workerMemory: n(v.workerMemory, 1024),
      workerDesiredCount: n(v.workerDesiredCount, 1),
      basicAuth: v.basicAuth,
      natGateways: (NAT_GATEWAY_OPTIONS as readonly string[]).includes(v.natGateways)
        ? (v.natGateways as StackSpec["natGateways"])
        : "none",
      publicSubnetIds: v.publicSubnetIds,
    });
  }, [v]);

  const review = () => {
    setSubmitted(true);
    setMessage(undefined);
    if (Object.keys(localErrors).length) {
      setMessage("Some fields need attention.");
      return;
    }
    start(async () => {
      const r = await planStack({ spec: candidate, mode });
      if (r.ok) setPlan(r.data);
      else {
        setServerErrors(unprefixed(r.fieldErrors));
        setMessage(r.error);
      }
    });
  };

  const apply = () => {
    setMessage(undefined);
    start(async () => {
      const r = await applyStack({ spec: candidate, mode });
      if (r.ok) router.push(`/stacks/${r.data.env}/runs/${r.data.runId}`);
      else {
        setServerErrors(unprefixed(r.fieldErrors));
        setMessage(r.error);
        if (r.fieldErrors) setPlan(undefined);
      }
    });
  };

  if (plan) {
    const changes = plan.counts.create + plan.counts.update + plan.counts.replace + plan.counts.delete;
    return (
      <div className="grid gap-4 lg:grid-cols-[1fr_22rem]">
        <div className="grid gap-3">
          <Card>
            <CardHeader
              title={`Review the plan for ${plan.env}`}
              description="Nothing has been changed in AWS. Apply starts a background run you can follow and cancel."
            />
            <CardBody className="grid gap-3">
              <PlanSummary plan={plan} />
              {message ? <Alert tone="failed">{message}</Alert> : null}
              <div className="flex gap-2">
                <Button variant="outline" onClick={() => setPlan(undefined)} disabled={pending}>
                  Back to the form
                </Button>
                <Button onClick={apply} disabled={pending || readOnly}>
                  {pending ? "Starting…" : changes === 0 ? "Apply (verify only)" : `Apply ${changes} change${changes === 1 ? "" : "s"}`}
                </Button>
              </div>
            </CardBody>
          </Card>
          <PlanView plan={plan} />
        </div>
        <CostCard cost={plan.cost} className="self-start lg:sticky lg:top-4" />
      </div>
    );
  }

  const subnetPicker = (field: "privateSubnetIds" | "publicSubnetIds", label: string, hint: string) => (
    <fieldset className="grid gap-1" aria-describedby={`${field}-msg`}>
      <legend className="text-xs font-medium">{label}</legend>
      {!v.vpcId ? (
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
                disabled={readOnly || locked}
                checked={v[field].includes(s.id)}
                onChange={(e) => set(field, e.target.checked ? [...v[field], s.id] : v[field].filter((x) => x !== s.id))}
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
      <p
        id={`${field}-msg`}
        role={errorFor(field) ? "alert" : undefined}
        className={errorFor(field) ? "text-xs text-failed" : "text-xs text-muted-foreground"}
      >
        {errorFor(field)?.[0] ?? errorFor(`${field}.0`)?.[0] ?? hint}
      </p>
    </fieldset>
  );

  const text = (field: keyof FormValues, label: string, hint?: string, extra: React.InputHTMLAttributes<HTMLInputElement> = {}) => (
    <Field id={`f-${field}`} label={label} hint={hint} error={errorFor(field) ?? errorFor(`${field}.0`)}>
      <Input
        name={field}
        value={String(v[field])}
        disabled={readOnly}
        onChange={(e) => set(field, e.target.value as never)}
        onBlur={() => setTouched((t) => ({ ...t, [field]: true }))}
        {...extra}
      />
    </Field>
  );

  const cpuSelect = (cpuField: "serverCpu" | "workerCpu", memField: "serverMemory" | "workerMemory", who: string) => (
    <>
      <Field id={`f-${cpuField}`} label={`${who} CPU`} error={errorFor(cpuField)}>
        <NativeSelect
          name={cpuField}
          value={v[cpuField]}
          disabled={readOnly}
          onChange={(e) => {
            const cpu = Number(e.target.value);
            setV((old) => ({ ...old, [cpuField]: e.target.value, [memField]: String(nearestMemory(cpu, Number(old[memField]))) }));
          }}
        >
          {FARGATE_CPU_OPTIONS.map((o) => (
            <option key={o.cpu} value={o.cpu}>
              {o.cpu} ({o.vcpu} vCPU)
            </option>
          ))}
        </NativeSelect>
      </Field>
      <Field id={`f-${memField}`} label={`${who} memory`} hint={fargatePairHint(Number(v[cpuField]))} error={errorFor(memField)}>
        <NativeSelect name={memField} value={v[memField]} disabled={readOnly} onChange={(e) => set(memField, e.target.value)}>
          {!memoriesFor(Number(v[cpuField])).includes(Number(v[memField])) ? (
            <option value={v[memField]}>{v[memField]} MB (not valid)</option>
          ) : null}
          {memoriesFor(Number(v[cpuField])).map((m) => (
            <option key={m} value={m}>
              {formatMemory(m)}
            </option>
          ))}
        </NativeSelect>
      </Field>
    </>
  );

  const toggle = (field: "dbMultiAz" | "dbDeletionProtection" | "dbApplyImmediately" | "basicAuth", label: string, hint: string) => (
    <label className="flex items-start gap-2 text-sm">
      <input
        type="checkbox"
        name={field}
        className="mt-1"
        checked={v[field]}
        disabled={readOnly}
        onChange={(e) => set(field, e.target.checked)}
      />
      <span>
        {label}
        <span className="block text-xs text-muted-foreground">{hint}</span>
      </span>
    </label>
  );

  return (
    <form
      noValidate
      className="grid gap-4 lg:grid-cols-[1fr_22rem]"
      onSubmit={(e) => {
        e.preventDefault();
        review();
      }}
    >
      <div className="grid gap-4">
        {readOnly ? (
          <Alert tone="neutral">You are a viewer: you can look at the form, but only operators can plan and apply stacks.</Alert>
        ) : null}
        {message ? <Alert tone="failed">{message}</Alert> : null}
        {mode === "adopt" ? (
          <Card>
            <CardHeader
              title="Adopt an existing stack"
              description="Point at the environment the Terraform walkthrough (or anything using the same names) created."
            />
            <CardBody className="grid gap-3 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
              {text("env", "Environment name", "e.g. production (resources are named prefect-<env>)", {
                disabled: readOnly || adoptFound !== undefined,
              })}
              <Field id="f-adopt-region" label="Region">
                <NativeSelect
                  value={v.region}
                  disabled={readOnly || adoptFound !== undefined}
                  onChange={(e) => set("region", e.target.value)}
                >
                  {REGIONS.map((r) => (
                    <option key={r}>{r}</option>
                  ))}
                </NativeSelect>
              </Field>
              <Button
                type="button"
                variant="outline"
                disabled={readOnly || pending || adoptFound !== undefined}
                onClick={() =>
                  start(async () => {
                    setMessage(undefined);
                    const r = await discoverExisting({ env: v.env.trim(), region: v.region });
                    if (!r.ok) {
                      setServerErrors(unprefixed(r.fieldErrors));
                      setMessage(r.error);
                      return;
                    }
                    setV(valuesFromSpec(r.data.spec));
                    setAdoptFound({ found: r.data.found, missing: r.data.missing });
                  })
                }
              >
                {pending ? "Looking…" : "Find resources"}
              </Button>
              {adoptFound ? (
                <div className="text-xs sm:col-span-3">
                  <p>Found: {adoptFound.found.join(", ")}.</p>
                  {adoptFound.missing.length ? (
                    <p className="text-muted-foreground">Not found (the plan creates them): {adoptFound.missing.join(", ")}.</p>
                  ) : null}
                  <p className="text-muted-foreground">
                    The fields below are filled from what exists. Review the plan to see what the console would change.
                  </p>
                </div>
              ) : null}
            </CardBody>
          </Card>
        ) : null}

        {showFields ? (
          <>
            <Card>
              <CardHeader
                title="Environment and network"
                description="Where the stack lives. Tasks and the database go in private subnets; the load balancer in public ones."
              />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                {mode !== "adopt"
                  ? text("env", "Environment name", "Lower-case, e.g. production or staging; names become prefect-<env>", {
                      disabled: readOnly || locked,
                      autoComplete: "off",
                    })
                  : null}
                <Field id="f-region" label="Region" error={errorFor("region")}>
                  <NativeSelect
                    name="region"
                    value={v.region}
                    disabled={readOnly || locked}
                    onChange={(e) =>
                      setV((old) => ({ ...old, region: e.target.value, vpcId: "", privateSubnetIds: [], publicSubnetIds: [] }))
                    }
                  >
                    {REGIONS.map((r) => (
                      <option key={r}>{r}</option>
                    ))}
                  </NativeSelect>
                </Field>
                <Field
                  id="f-vpcId"
                  label="VPC"
                  error={errorFor("vpcId") ?? (networkError ? [networkError] : undefined)}
                  hint={vpcs === undefined ? "Loading VPCs…" : vpcs.length === 0 ? "No VPCs in this region" : undefined}
                >
                  <NativeSelect
                    name="vpcId"
                    value={v.vpcId}
                    disabled={readOnly || locked}
                    onChange={(e) => setV((old) => ({ ...old, vpcId: e.target.value, privateSubnetIds: [], publicSubnetIds: [] }))}
                  >
                    <option value="">Pick a VPC…</option>
                    {(vpcs ?? []).map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name || x.id} ({x.cidr}){x.isDefault ? " · default" : ""}
                      </option>
                    ))}
                    {v.vpcId && vpcs && !vpcs.some((x) => x.id === v.vpcId) ? <option value={v.vpcId}>{v.vpcId}</option> : null}
                  </NativeSelect>
                </Field>
                <div className="sm:col-span-2 grid gap-3 sm:grid-cols-2">
                  {subnetPicker("privateSubnetIds", "Private subnets (tasks, database)", "At least two, in different Availability Zones")}
                  {subnetPicker("publicSubnetIds", "Public subnets (load balancer)", "At least two, in different Availability Zones")}
                </div>
                <Field
                  id="f-natGateways"
                  label="NAT gateways"
                  hint="Tasks in private subnets need a way out (image, secrets, logs). The plan checks the subnets' routes; if they have none, let the stack create NAT gateways in the public subnets (~$33/month each plus data)."
                  error={errorFor("natGateways")}
                >
                  <NativeSelect
                    name="natGateways"
                    value={v.natGateways}
                    disabled={readOnly}
                    onChange={(e) => set("natGateways", e.target.value)}
                  >
                    <option value="none">none: the private subnets already route to a NAT gateway</option>
                    <option value="single">one shared NAT gateway</option>
                    <option value="per-az">one NAT gateway per Availability Zone (one per public subnet)</option>
                  </NativeSelect>
                </Field>
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Load balancer" description="Who can reach the Prefect UI and API." />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                {text("allowedCidrs", "Allowed CIDRs", "Comma-separated, e.g. 10.0.0.0/8 (ports 80 and 443)")}
                <Field id="f-albScheme" label="Scheme" error={errorFor("albScheme")}>
                  <NativeSelect name="albScheme" value={v.albScheme} disabled={readOnly} onChange={(e) => set("albScheme", e.target.value)}>
                    <option value="internal">internal (reachable inside the VPC)</option>
                    <option value="internet-facing">internet-facing</option>
                  </NativeSelect>
                </Field>
                {text("certificateArn", "ACM certificate ARN (optional)", "With a certificate: HTTPS on 443 and HTTP redirects to it")}
                {text(
                  "domainName",
                  "Domain name",
                  "Required with a certificate, which must cover it (no certificate covers the load balancer's own name). With a Route 53 hosted zone for it, the stack creates the alias record; otherwise the stack page shows the record to create.",
                )}
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Prefect server" description="prefect server start on Fargate behind the load balancer." />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                {text("prefectImage", "Prefect image")}
                {text("serverDesiredCount", "Server tasks", `Always ${MAX_SERVER_COUNT}: ${SERVER_COUNT_WHY}`, {
                  inputMode: "numeric",
                  readOnly: true,
                })}
                {cpuSelect("serverCpu", "serverMemory", "Server")}
                {toggle(
                  "basicAuth",
                  "Basic auth",
                  "Generate a user:password in Secrets Manager and require it on the API (PREFECT_SERVER_API_AUTH_STRING)",
                )}
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Database" description="RDS PostgreSQL 15, gp3, encrypted; a final snapshot is kept on destroy." />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                <Field id="f-dbInstanceClass" label="Instance class" error={errorFor("dbInstanceClass")}>
                  <NativeSelect
                    name="dbInstanceClass"
                    value={v.dbInstanceClass}
                    disabled={readOnly}
                    onChange={(e) => set("dbInstanceClass", e.target.value)}
                  >
                    {DB_INSTANCE_CLASSES.map((c) => (
                      <option key={c}>{c}</option>
                    ))}
                  </NativeSelect>
                </Field>
                {text("dbBackupRetentionDays", "Backup retention (days)", "1–35", { inputMode: "numeric" })}
                {text("dbAllocatedStorage", "Storage (GB)", LIMIT_HINTS.dbAllocatedStorage, { inputMode: "numeric" })}
                {text("dbMaxAllocatedStorage", "Max storage (GB)", "Storage autoscaling limit; 0 turns it off", { inputMode: "numeric" })}
                {toggle("dbMultiAz", "Multi-AZ", "A standby in a second Availability Zone (doubles the database cost)")}
                {toggle("dbDeletionProtection", "Deletion protection", "The database cannot be deleted until this is turned off")}
                {toggle(
                  "dbApplyImmediately",
                  "Apply database changes now",
                  "Off: class, storage and Multi-AZ changes wait for the next maintenance window (Sun 04:30 UTC) and show as pending until then",
                )}
              </CardBody>
            </Card>

            <Card>
              <CardHeader title="Workers" description="prefect worker start --pool <pool>, auto-scaled on CPU." />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                {text("workerPoolName", "Work pool", "Created with the 'default' process pool once the server is healthy")}
                <Field id="f-workerPoolType" label="Worker type" error={errorFor("workerPoolType")}>
                  <NativeSelect
                    name="workerPoolType"
                    value={v.workerPoolType}
                    disabled={readOnly}
                    onChange={(e) => set("workerPoolType", e.target.value)}
                  >
                    {WORKER_POOL_TYPES.map((t) => (
                      <option key={t}>{t}</option>
                    ))}
                  </NativeSelect>
                </Field>
                {text("workerImage", "Worker image")}
                {text("workerCpuTarget", "CPU target (%)", "Auto scaling keeps average CPU near this", { inputMode: "numeric" })}
                {cpuSelect("workerCpu", "workerMemory", "Worker")}
                {text("workerMinCount", "Minimum", undefined, { inputMode: "numeric" })}
                {text("workerDesiredCount", "Desired", undefined, { inputMode: "numeric" })}
                {text("workerMaxCount", "Maximum", undefined, { inputMode: "numeric" })}
              </CardBody>
            </Card>

            <Card>
              <CardHeader
                title="Alarms"
                description="Server and worker CPU/memory, ALB 5xx and unhealthy hosts, database CPU and free storage."
              />
              <CardBody className="grid gap-3 sm:grid-cols-2">
                {text("cpuAlarmThreshold", "CPU alarm threshold (%)", "prefect-high-cpu-<env> fires above this", { inputMode: "numeric" })}
                {text("snsTopicArn", "SNS topic ARN (optional)", "Alarm and OK notifications go here")}
              </CardBody>
            </Card>

            <div className="flex gap-2">
              <Button type="submit" disabled={pending || readOnly}>
                {pending ? "Planning…" : "Review plan"}
              </Button>
              {Object.keys(localErrors).length && submitted ? (
                <span className="self-center text-xs text-failed">Fix the highlighted fields first.</span>
              ) : null}
            </div>
          </>
        ) : null}
      </div>
      <div className="grid gap-4 self-start lg:sticky lg:top-4">
        <CostCard cost={cost} />
        {mode === "new" ? <PreflightCard spec={Object.keys(localErrors).length ? undefined : candidate} disabled={readOnly} /> : null}
      </div>
    </form>
  );
}
