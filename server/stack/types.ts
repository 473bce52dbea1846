import "server-only";
import type { StackSpec } from "@/lib/stack-spec";
import type { StackNames } from "@/lib/names";
import type { FieldChange, PlanAction, ResourceGroup } from "@/lib/plan";

// The resource model (ARCHITECTURE.md "The resource model"): every kind of AWS resource the stack needs is one
// module with the same shape. Plans are lists of decisions like Terraform's plan actions; apply is level-based.

export interface Diff {
  action: Exclude<PlanAction, "create" | "delete">;
  changes: FieldChange[];
  /** Something the user should know that the console will not change (e.g. "storage cannot shrink"). */
  notes?: string[];
}

/** What a resource hands to its dependants (ids, ARNs, DNS names). Never secret values. */
export type Outputs = Record<string, string>;
export type Refs = Record<string, Outputs>;

/** Everything a resource module needs to talk to AWS about one stack. */
export interface StackContext {
  env: string;
  region: string;
  spec: StackSpec;
  names: StackNames;
  /** The AWS account id (for ARNs in IAM policies). */
  account: string;
  partition: string;
}

export interface Resource<D, O> {
  /** Unique within a stack: "sg-alb", "taskdef-server". Also the run step key. */
  key: string;
  /** The kind of AWS thing, shown in the plan: "security group", "task definition". */
  kind: string;
  group: ResourceGroup;
  /** Keys of resources whose outputs (and readiness) this one needs. */
  dependsOn: string[];
  /** The AWS name (deterministic from the environment name). */
  name(ctx: StackContext): string;
  /** Whether the spec wants this resource at all (e.g. the basic-auth secret). Default: yes. */
  enabled?(spec: StackSpec): boolean;
  /** Pure: the wanted settings as the SDK input (golden-file tested). */
  desired(ctx: StackContext, refs: Refs): D;
  /** What exists now, found by name (and tags); undefined when absent. */
  observe(ctx: StackContext): Promise<O | undefined>;
  diff(desired: D, observed: O, ctx: StackContext): Diff;
  create(ctx: StackContext, desired: D): Promise<void>;
  update(ctx: StackContext, desired: D, observed: O, diff: Diff): Promise<void>;
  /** Idempotent: absent already is success. */
  delete(ctx: StackContext, observed: O): Promise<void>;
  /** true when dependants may proceed; a string says what it is waiting for. */
  ready(observed: O, ctx: StackContext): true | string;
  outputs(observed: O): Outputs;
  /** Outputs that an update replaces (a task definition update is a new revision with a new ARN). */
  outputsChangedByUpdate?: string[];
  /** After delete: true once the resource is really gone (default: observe() is undefined). */
  gone?(ctx: StackContext): Promise<boolean>;
  /** A short status line for the run page ("available", "2/2 running"). */
  status?(observed: O): string;
}

// Modules are heterogeneous; the engine handles them through this erased type (each module is typed internally).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyResource = Resource<any, any>;

export function defineResource<D, O>(r: Resource<D, O>): AnyResource {
  return r as AnyResource;
}

/** A resource that another needs but that does not exist yet: its outputs are known only after apply. */
export const UNKNOWN = "(known after apply)";
/** An output an update will replace, as shown in a plan ("task definition → (new revision)"). */
export const NEW_REVISION = "(new revision)";

export function ref(refs: Refs, key: string, output: string): string {
  return refs[key]?.[output] ?? UNKNOWN;
}

/** A terminal failure: retrying will not help; the message says what to do. */
export class TerminalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TerminalError";
  }
}

/** Not done yet: try again later (e.g. the Prefect API is not reachable yet). */
export class RetryableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryableError";
  }
}

/** Compares two values by their JSON, for diffs of nested SDK inputs. */
export function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function sortedSet(values: (string | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))].sort();
}

export function setChange(field: string, want: string[], have: string[]): FieldChange | undefined {
  const w = sortedSet(want);
  const h = sortedSet(have);
  return same(w, h) ? undefined : { field, from: h.join(", ") || "(none)", to: w.join(", ") || "(none)" };
}

export function valueChange(field: string, want: unknown, have: unknown): FieldChange | undefined {
  const w = want === undefined ? "" : typeof want === "string" ? want : JSON.stringify(want);
  const h = have === undefined ? "" : typeof have === "string" ? have : JSON.stringify(have);
  return w === h ? undefined : { field, from: h || "(unset)", to: w || "(unset)" };
}

export function diffOf(changes: (FieldChange | undefined)[], notes?: string[]): Diff {
  const c = changes.filter((x): x is FieldChange => Boolean(x));
  return { action: c.length ? "update" : "noop", changes: c, ...(notes?.length ? { notes } : {}) };
}

/** Tags as the SDKs that take `{Key, Value}` lists want them. */
export function tagList(tags: Record<string, string>): { Key: string; Value: string }[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}
