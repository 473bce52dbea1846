// Isomorphic: the typed result every server action returns, and what client forms read.
export type FieldErrors = Record<string, string[]>;
export type ActionResult<T = undefined> = { ok: true; data: T } | { ok: false; error: string; fieldErrors?: FieldErrors };
