import "server-only";
import { log } from "@/server/log";

// What a user may see of a failure, decided in one place. Every error written for the user extends UserError — the
// AWS edge's ConsoleAwsError (server/aws/errors.ts), the Prefect client's PrefectError, another run in progress, a
// taken email — so one `instanceof UserError` decides. Anything else (a bug, a driver error, SQL) goes to the
// server log and the user gets `safeMessage`'s fallback, never the text.

export type FieldErrors = Record<string, string[]>;

/** An error whose message is safe and useful to show as-is ("Worker desired count must be ≤ 10"): names, never secrets. */
export class UserError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: FieldErrors,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = "UserError";
  }
}

/** What the request names does not exist (a page answers 404, a route handler 404). */
export class NotFoundError extends UserError {
  constructor(message: string, fieldErrors?: FieldErrors) {
    super(message, fieldErrors);
    this.name = "NotFoundError";
  }
}

/** The request conflicts with the current state: another run in progress, an email already taken. */
export class ConflictError extends UserError {
  constructor(message: string, fieldErrors?: FieldErrors) {
    super(message, fieldErrors);
    this.name = "ConflictError";
  }
}

/**
 * The message a user sees for `err`: a UserError's own message, otherwise "<what> failed; the details are in the
 * console's log." with the detail logged. `what` names the attempt: "Reading CloudWatch", "The Prefect API call".
 */
export function safeMessage(err: unknown, what: string): string {
  if (err instanceof UserError) return err.message;
  log.error(`${what} failed`, { error: err instanceof Error ? err.stack : String(err) });
  return `${what} failed; the details are in the console's log.`;
}

/** The field-level messages of a UserError (for a form), if it has any. */
export function userFieldErrors(err: unknown): FieldErrors | undefined {
  return err instanceof UserError ? err.fieldErrors : undefined;
}
