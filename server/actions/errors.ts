import "server-only";

/** An error whose message is safe and useful to show the user as-is (e.g. "Worker desired count must be ≤ 10"). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly fieldErrors?: Record<string, string[]>,
  ) {
    super(message);
    this.name = "UserError";
  }
}
