import "server-only";
import { EnvHttpProxyAgent, fetch } from "undici";
import { z } from "zod";
import { UserError } from "@/server/errors";

// A small client for the Prefect 3 REST API, reached the way the CLI reaches it: `PREFECT_API_URL`
// (http(s)://<alb-dns>/api). Requests go through undici's EnvHttpProxyAgent so HTTP_PROXY/HTTPS_PROXY/NO_PROXY are
// honoured (a corporate proxy, or an SSH/SSM tunnel exposed as a proxy). Every call has a short timeout: the
// page must render even when the server is down.
//   curl $PREFECT_API_URL/health                     → true
//   curl $PREFECT_API_URL/ready                      → {"message":"OK"} (503 while the database is unreachable)
//   curl $PREFECT_API_URL/admin/version              → "3.4.1"
//   curl -X POST $PREFECT_API_URL/work_pools/filter  → [WorkPool]
//   curl -X POST $PREFECT_API_URL/work_pools/<name>/workers/filter → [Worker]
//   curl -X POST $PREFECT_API_URL/flow_runs/count -d '{"flow_runs":{…}}' → 12

let agent: EnvHttpProxyAgent | undefined;
function dispatcher(): EnvHttpProxyAgent {
  agent ??= new EnvHttpProxyAgent({ connect: { timeout: 3_000 } });
  return agent;
}

export interface PrefectTarget {
  /** The API base, e.g. http://internal-prefect-production-123.us-east-1.elb.amazonaws.com/api (no trailing slash). */
  apiUrl: string;
  /** `user:password` for a server started with PREFECT_SERVER_API_AUTH_STRING (sent as HTTP basic auth). */
  authString?: string;
  timeoutMs?: number;
}

export type PrefectErrorKind = "unreachable" | "timeout" | "unauthorized" | "http" | "invalid";

/** A failed Prefect API call, described for the user (shown as-is: a UserError). */
export class PrefectError extends UserError {
  constructor(
    message: string,
    readonly kind: PrefectErrorKind,
    readonly status?: number,
  ) {
    super(message);
    this.name = "PrefectError";
  }
}

async function call<T>(t: PrefectTarget, method: "GET" | "POST" | "PATCH", path: string, schema: z.ZodType<T>, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (body !== undefined) headers["content-type"] = "application/json";
  if (t.authString) headers.authorization = `Basic ${Buffer.from(t.authString).toString("base64")}`;
  const url = `${t.apiUrl.replace(/\/+$/, "")}${path}`;
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(url, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      dispatcher: dispatcher(),
      signal: AbortSignal.timeout(t.timeoutMs ?? 4_000),
    });
  } catch (err) {
    const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError")
      throw new PrefectError(`Prefect did not answer ${path} within ${t.timeoutMs ?? 4_000} ms`, "timeout");
    const code = e.cause?.code ?? "";
    throw new PrefectError(`Could not connect to Prefect (${code || e.cause?.message || e.message || "network error"})`, "unreachable");
  }
  const text = await res.text();
  if (res.status === 401 || res.status === 403)
    throw new PrefectError(`Prefect refused the console's credentials (HTTP ${res.status}) on ${path}`, "unauthorized", res.status);
  if (!res.ok) throw new PrefectError(`Prefect answered HTTP ${res.status} on ${path}`, "http", res.status);
  let json: unknown;
  try {
    json = text === "" ? null : JSON.parse(text);
  } catch {
    throw new PrefectError(`Prefect answered ${path} with something that is not JSON`, "invalid", res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PrefectError(`Prefect's answer to ${path} has an unexpected shape`, "invalid", res.status);
  return parsed.data;
}

// ---- Prefect 3 shapes (only the fields we show; extra fields are ignored) ----
const WorkPool = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  status: z.enum(["READY", "NOT_READY", "PAUSED"]).nullable().optional(),
  is_paused: z.boolean().optional(),
  concurrency_limit: z.number().nullable().optional(),
  /** `{job_configuration, variables}`; `{}` until someone sets it (a worker fills in its type's default). */
  base_job_template: z.record(z.string(), z.unknown()).optional(),
});
const Worker = z.object({
  id: z.string(),
  name: z.string(),
  work_pool_id: z.string(),
  last_heartbeat_time: z.string().nullable().optional(),
  heartbeat_interval_seconds: z.number().nullable().optional(),
  status: z.enum(["ONLINE", "OFFLINE"]).optional(),
});

export type PrefectWorkPool = z.infer<typeof WorkPool>;
export type PrefectWorker = z.infer<typeof Worker>;

/** PATCH /api/work_pools/<name> {base_job_template} → 204. */
export async function prefectSetBaseJobTemplate(t: PrefectTarget, pool: string, template: Record<string, unknown>): Promise<void> {
  await call(t, "PATCH", `/work_pools/${encodeURIComponent(pool)}`, z.unknown(), { base_job_template: template });
}

/** GET /api/health → `true` when the API process is up. */
export async function prefectHealth(t: PrefectTarget): Promise<boolean> {
  return (await call(t, "GET", "/health", z.unknown())) === true;
}

/** GET /api/ready → 200 when the server can reach its database, 503 otherwise (reported as `false`). */
export async function prefectReady(t: PrefectTarget): Promise<boolean> {
  try {
    await call(t, "GET", "/ready", z.unknown());
    return true;
  } catch (err) {
    if (err instanceof PrefectError && err.kind === "http" && err.status === 503) return false;
    throw err;
  }
}

/** GET /api/admin/version → "3.x.y" */
export async function prefectVersion(t: PrefectTarget): Promise<string> {
  return call(t, "GET", "/admin/version", z.string());
}

/** POST /api/work_pools/filter (limit ≤ 200 per page on the server; a stack has a handful). */
export async function prefectWorkPools(t: PrefectTarget, limit = 50): Promise<PrefectWorkPool[]> {
  return call(t, "POST", "/work_pools/filter", z.array(WorkPool), { limit, offset: 0 });
}

/** POST /api/work_pools/<name>/workers/filter */
export async function prefectWorkers(t: PrefectTarget, pool: string, limit = 100): Promise<PrefectWorker[]> {
  return call(t, "POST", `/work_pools/${encodeURIComponent(pool)}/workers/filter`, z.array(Worker), { limit, offset: 0 });
}

export interface FlowRunCounts {
  running: number;
  late: number;
  failed24h: number;
}

/** Three POST /api/flow_runs/count calls: RUNNING, the `Late` state, FAILED expected to start in the last 24 h. */
export async function prefectFlowRunCounts(t: PrefectTarget, now = Date.now()): Promise<FlowRunCounts> {
  const count = (flow_runs: Record<string, unknown>) => call(t, "POST", "/flow_runs/count", z.number().int(), { flow_runs });
  const since = new Date(now - 24 * 3_600_000).toISOString();
  const [running, late, failed24h] = await Promise.all([
    count({ state: { type: { any_: ["RUNNING"] } } }),
    count({ state: { name: { any_: ["Late"] } } }),
    count({ state: { type: { any_: ["FAILED", "CRASHED"] } }, expected_start_time: { after_: since } }),
  ]);
  return { running, late, failed24h };
}
