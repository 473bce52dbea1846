import "server-only";
import type { z } from "zod";
import { recordAudit } from "@/server/audit/audit";
import { currentUser } from "@/server/auth/current";
import { hasRole, type Role } from "@/lib/roles";
import type { User } from "@/server/auth/users";
import { ConsoleAwsError } from "@/server/aws/errors";
import { db, type Db } from "@/server/db";
import { fieldErrorsOf } from "@/lib/client-validate";
import { log } from "@/server/log";
import { UserError } from "./errors";
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
}

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
      if (audit) await recordAudit(store, { actor: user, action: spec.name, target, params: input, outcome: "ok" });
      return { ok: true, data };
    } catch (err) {
      const safe = err instanceof UserError || err instanceof ConsoleAwsError;
      const message = safe ? (err as Error).message : "Something went wrong on the server; the details are in the console's log.";
      if (!safe) log.error("action failed", { action: spec.name, target, error: err instanceof Error ? err.stack : String(err) });
      if (audit) await recordAudit(store, { actor: user, action: spec.name, target, params: input, outcome: "error", message });
      return { ok: false, error: message, ...(err instanceof UserError && err.fieldErrors ? { fieldErrors: err.fieldErrors } : {}) };
    }
  };
}
