import "server-only";
import type { z } from "zod";
import { ConsoleAwsError } from "@/server/aws/errors";
import { NotFoundError } from "@/server/errors";
import { db } from "@/server/db";
import { getStack, type StackRecord } from "@/server/stack/registry";
import { ENV_NAME_PATTERN } from "@/lib/names";
import { resolveSource, type ResolvedSource } from "./sources";

// The common front of the log route handlers: validate every parameter before any AWS call, find the stack,
// resolve the source. Failures come back as JSON Responses with a status the viewer can act on.

export type LogRequest<T> = { stack: StackRecord; src: ResolvedSource; query: T };

export function jsonError(status: number, error: string, field?: string): Response {
  return Response.json(field ? { error, field } : { error }, { status, headers: { "Cache-Control": "no-store" } });
}

export function queryObject(url: string, extra: Record<string, string | undefined> = {}): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URL(url).searchParams) if (v !== "") out[k] = v;
  for (const [k, v] of Object.entries(extra)) if (v) out[k] = v;
  return out;
}

export async function parseLogRequest<S extends z.ZodType<{ source: "all" | "server" | "worker" | "task"; task?: string | undefined }>>(
  env: string,
  raw: Record<string, string>,
  schema: S,
): Promise<LogRequest<z.infer<S>> | Response> {
  if (!ENV_NAME_PATTERN.test(env)) return jsonError(404, `No stack named ${JSON.stringify(env.slice(0, 40))}.`);
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return jsonError(400, issue?.message ?? "Invalid query.", issue?.path.map(String).join(".") || undefined);
  }
  const stack = await getStack(await db(), env);
  if (!stack || stack.status === "destroyed") return jsonError(404, `No stack named ${env}.`);
  try {
    const src = await resolveSource(stack, parsed.data);
    return { stack, src, query: parsed.data };
  } catch (err) {
    if (err instanceof NotFoundError) return jsonError(404, err.message, "task");
    if (err instanceof ConsoleAwsError) return jsonError(err.kind === "not-found" ? 404 : 502, err.message);
    throw err;
  }
}

/** CloudWatch's own words for a rejected filter pattern go next to the filter box. */
export function awsFailure(err: unknown): Response {
  if (err instanceof ConsoleAwsError) {
    if (err.kind === "invalid") return jsonError(400, err.message, "filter");
    if (err.kind === "not-found") return jsonError(404, err.message);
    if (err.kind === "throttled") return jsonError(429, err.message);
    return jsonError(502, err.message);
  }
  throw err;
}
