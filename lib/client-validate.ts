import type { z } from "zod";

/** Field-level messages keyed by path (`a.b` for nested fields, `_form` for the whole input). */
export function fieldErrorsOf(error: z.ZodError): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const issue of error.issues) {
    const key = issue.path.length ? issue.path.map(String).join(".") : "_form";
    (out[key] ??= []).push(issue.message);
  }
  return out;
}

/** The same messages the server would give, computed in the browser before submitting. */
export function clientFieldErrors(schema: z.ZodType, input: unknown): Record<string, string[]> {
  const r = schema.safeParse(input);
  return r.success ? {} : fieldErrorsOf(r.error);
}
