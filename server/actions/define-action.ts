import "server-only";
import { revalidatePath } from "next/cache";
import type { z } from "zod";
import { recordAudit } from "@/server/audit/audit";
import { currentUser } from "@/server/auth/current";
import { hasRole, type Role } from "@/lib/roles";
import type { User } from "@/server/auth/users";
import { db, type Db } from "@/server/db";
import { fieldErrorsOf } from "@/lib/client-validate";
import { safeMessage, userFieldErrors } from "@/server/errors";
import type { ActionResult, FieldErrors } from "@/lib/action-result";

export interface ActionContext {
  user: User;
  db: Db;
}

export interface ActionSpec<S extends z.ZodType, R> {
  /** Audit action name, `<noun>.<verb>`: "user.create", "service.scale". */
  name: string;
  role: Role;
  input: S;
  /** What the action acts on, for the audit log ("user:ann@example.com", "stack:production/prefect-worker"). */
  target: (input: z.output<S>) => string;
  run: (input: z.output<S>, ctx: ActionContext) => Promise<R>;
  /** Read-only actions (e.g. a plan preview) need no audit row. */
  audit?: boolean;
  /** What changed, refreshed after success: pages to revalidate, and a stack whose cached snapshot must be dropped. */
  refresh?: (input: z.output<S>) => Refresh;
}

export interface Refresh {
  paths: string[];
  /** The next overview request of this stack must see AWS's answer, not a snapshot from before the action. */
  stack?: string;
}

/** The refresh of an operation on one stack: its cached snapshot and its pages. */
export const stackRefresh = (env: string): Refresh => ({ stack: env, paths: [`/stacks/${env}`] });

export const zodFieldErrors: (error: z.ZodError) => FieldErrors = fieldErrorsOf;

/**
 * The one way to write a server action: session → role → zod-parsed input → service → audit → typed result.
 * `"use server"` exports are callable by any browser, so each check happens here, on every call.
 */
export function defineAction<S extends z.ZodType, R>(spec: ActionSpec<S, R>): (raw: unknown) => Promise<ActionResult<R>> {
  return async (raw: unknown) => {
    const user = await currentUser();
    if (!user) return { ok: false, error: "Your session has ended. Sign in again." };
    const store = await db();
    const audit = spec.audit ?? true;
    if (!hasRole(user.role, spec.role)) {
      if (audit)
        await recordAudit(store, { actor: user, action: spec.name, target: "-", outcome: "denied", message: `needs ${spec.role}` });
      return { ok: false, error: `This needs the ${spec.role} role; you are ${user.role === "admin" ? "an" : "a"} ${user.role}.` };
    }
    const parsed = spec.input.safeParse(raw);
    if (!parsed.success) {
      return { ok: false, error: "Some fields need attention.", fieldErrors: zodFieldErrors(parsed.error) };
    }
    const input = parsed.data;
    const target = spec.target(input);
    try {
      const data = await spec.run(input, { user, db: store });
      const refresh = spec.refresh?.(input);
      // Loaded on use: the snapshot module pulls in every AWS client, which actions like login do not need.
      if (refresh?.stack) (await import("@/server/ops/snapshot-cache")).invalidateSnapshot(refresh.stack);
      for (const path of refresh?.paths ?? []) revalidatePath(path);
      if (audit) await recordAudit(store, { actor: user, action: spec.name, target, params: input, outcome: "ok" });
      return { ok: true, data };
    } catch (err) {
      const message = safeMessage(err, `The action ${spec.name}`);
      if (audit) await recordAudit(store, { actor: user, action: spec.name, target, params: input, outcome: "error", message });
      const fieldErrors = userFieldErrors(err);
      return { ok: false, error: message, ...(fieldErrors ? { fieldErrors } : {}) };
    }
  };
}
