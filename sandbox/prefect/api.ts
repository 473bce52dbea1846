// The Prefect 3 server REST endpoints the console uses, answered with Prefect's shapes, status codes and error
// bodies (checked against PrefectHQ/prefect: server/api/server.py, root.py, admin.py, workers.py, schemas).
// Pure: state comes in through PrefectContext, so it is unit-testable without any server.
import { randomUUID } from "node:crypto";
import type { WorkPoolRecord } from "../world";

export interface WorkerView {
  id: string;
  name: string;
  pool: string;
  created: number;
  lastHeartbeat: number;
  online: boolean;
}

export interface PrefectContext {
  version: string;
  authString?: string;
  pools: Map<string, WorkPoolRecord>;
  workers: WorkerView[];
  /** counts by state name (Completed, Running, Scheduled, Late, Pending, Failed, Crashed, Cancelled, …) */
  flowRunsByStateName: Record<string, number>;
  now: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Prefect's REST API version (SERVER_API_VERSION), distinct from the package version. */
export const SERVER_API_VERSION = "0.8.4";

const STATE_TYPE_OF: Record<string, string> = {
  Completed: "COMPLETED",
  Running: "RUNNING",
  Scheduled: "SCHEDULED",
  Late: "SCHEDULED",
  Pending: "PENDING",
  Failed: "FAILED",
  Crashed: "CRASHED",
  Cancelled: "CANCELLED",
  Cancelling: "CANCELLING",
  Paused: "PAUSED",
};

const json = (status: number, payload: unknown): HttpAnswer => ({
  status,
  headers: { "content-type": "application/json", server: "uvicorn" },
  body: JSON.stringify(payload),
});
const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "000Z");

type Body = Record<string, unknown>;

function anyOf(filter: unknown, ...path: string[]): string[] | undefined {
  let cur: unknown = filter;
  for (const p of path) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Body)[p];
  }
  return Array.isArray(cur) ? cur.map(String) : undefined;
}

export function poolStatus(pool: WorkPoolRecord, workers: WorkerView[]): "READY" | "NOT_READY" | "PAUSED" {
  if (pool.is_paused) return "PAUSED";
  return workers.some((w) => w.pool === pool.name && w.online) ? "READY" : "NOT_READY";
}

export function poolJson(pool: WorkPoolRecord, workers: WorkerView[]) {
  return {
    ...pool,
    status: poolStatus(pool, workers),
    storage_configuration: { bundle_upload_step: null, bundle_execution_step: null, default_result_storage_block_id: null },
  };
}

export function newPool(name: string, type: string, now: number, extra: Partial<WorkPoolRecord> = {}): WorkPoolRecord {
  return {
    id: randomUUID(),
    created: iso(now),
    updated: iso(now),
    name,
    description: null,
    type,
    base_job_template: {},
    is_paused: false,
    concurrency_limit: null,
    default_queue_id: randomUUID(),
    ...extra,
  };
}

function authorized(ctx: PrefectContext, path: string, headers: Record<string, string | undefined>): boolean {
  if (!ctx.authString) return true;
  if (path === "/api/health" || path === "/api/ready") return true; // exempt in Prefect's middleware
  const h = headers.authorization;
  if (!h) return false;
  const [scheme, creds] = h.split(/\s+/);
  if (scheme !== "Basic" || !creds) return false;
  return Buffer.from(creds, "base64").toString("utf8") === ctx.authString;
}

export function handlePrefect(
  ctx: PrefectContext,
  method: string,
  rawPath: string,
  headers: Record<string, string | undefined>,
  rawBody: string,
): HttpAnswer {
  const path = (rawPath.split("?")[0] ?? "/").replace(/\/+$/, "") || "/";
  if (!path.startsWith("/api")) {
    return {
      status: 200,
      headers: { "content-type": "text/html; charset=utf-8", server: "uvicorn" },
      body: '<!doctype html><html><head><title>Prefect Server</title></head><body><div id="app"></div></body></html>',
    };
  }
  if (!authorized(ctx, path, headers)) return json(401, { exception_message: "Unauthorized" });
  let body: Body = {};
  if (rawBody.trim()) {
    try {
      const parsed: unknown = JSON.parse(rawBody);
      body = parsed && typeof parsed === "object" && !Array.isArray(parsed) ? (parsed as Body) : {};
    } catch {
      return json(422, {
        exception_message: "Invalid request received.",
        exception_detail: [{ type: "json_invalid", loc: ["body"], msg: "JSON decode error" }],
        request_body: rawBody,
      });
    }
  }
  const m = method.toUpperCase();
  const route = `${m} ${path}`;
  switch (route) {
    case "GET /api/health":
      return json(200, true);
    case "GET /api/ready":
      return json(200, { message: "OK" });
    case "GET /api/hello":
      return json(200, "👋");
    case "GET /api/version":
      return json(200, SERVER_API_VERSION);
    case "GET /api/admin/version":
      return json(200, ctx.version);
    case "POST /api/work_pools":
      return createPool(ctx, body);
    case "POST /api/work_pools/filter":
      return json(200, filterPools(ctx, body));
    case "POST /api/work_pools/count":
      return json(200, filterPools(ctx, { ...body, limit: undefined, offset: 0 }).length);
    case "POST /api/flow_runs/count":
      return json(200, countFlowRuns(ctx, body));
  }
  const workers = /^\/api\/work_pools\/([^/]+)\/workers\/filter$/.exec(path);
  if (workers && m === "POST") {
    const name = decodeURIComponent(workers[1] ?? "");
    if (!ctx.pools.has(name)) return json(404, { detail: `Work pool "${name}" not found.` });
    return json(200, filterWorkers(ctx, name, body));
  }
  const one = /^\/api\/work_pools\/([^/]+)$/.exec(path);
  if (one) {
    const name = decodeURIComponent(one[1] ?? "");
    const pool = ctx.pools.get(name);
    if (!pool) return json(404, { detail: `Work pool "${name}" not found.` });
    if (m === "GET") return json(200, poolJson(pool, ctx.workers));
    if (m === "DELETE") {
      ctx.pools.delete(name);
      return { status: 204, headers: { server: "uvicorn" }, body: "" };
    }
    if (m === "PATCH") {
      if (typeof body.description === "string" || body.description === null) pool.description = body.description as string | null;
      if (typeof body.is_paused === "boolean") pool.is_paused = body.is_paused;
      if (typeof body.concurrency_limit === "number" || body.concurrency_limit === null)
        pool.concurrency_limit = body.concurrency_limit as number | null;
      if (body.base_job_template && typeof body.base_job_template === "object")
        pool.base_job_template = body.base_job_template as Record<string, unknown>;
      pool.updated = iso(ctx.now);
      ctx.pools.set(name, pool); // stored again where the server keeps it (its database)
      return { status: 204, headers: { server: "uvicorn" }, body: "" };
    }
    return json(405, { detail: "Method Not Allowed" });
  }
  return json(404, { detail: "Not Found" });
}

function createPool(ctx: PrefectContext, body: Body): HttpAnswer {
  const name = body.name;
  if (typeof name !== "string") {
    return json(422, {
      exception_message: "Invalid request received.",
      exception_detail: [{ type: "missing", loc: ["body", "name"], msg: "Field required", input: body }],
      request_body: body,
    });
  }
  if (!name.toLowerCase().replace(/^['" ]+|['" ]+$/g, "")) return json(400, { detail: "Work pool name cannot be empty." });
  if (name.toLowerCase().startsWith("prefect"))
    return json(403, { detail: "Work pools starting with 'Prefect' are reserved for internal use." });
  if (ctx.pools.has(name)) return json(409, { detail: "A work pool with this name already exists." });
  const pool = newPool(name, typeof body.type === "string" ? body.type : "prefect-agent", ctx.now, {
    description: typeof body.description === "string" ? body.description : null,
    base_job_template:
      body.base_job_template && typeof body.base_job_template === "object" ? (body.base_job_template as Record<string, unknown>) : {},
    is_paused: body.is_paused === true,
    concurrency_limit: typeof body.concurrency_limit === "number" ? body.concurrency_limit : null,
  });
  ctx.pools.set(name, pool);
  return json(201, poolJson(pool, ctx.workers));
}

function page<T>(items: T[], body: Body): T[] {
  const offset = typeof body.offset === "number" ? body.offset : 0;
  const limit = typeof body.limit === "number" ? body.limit : 200;
  return items.slice(offset, offset + limit);
}

function filterPools(ctx: PrefectContext, body: Body) {
  const names = anyOf(body.work_pools, "name", "any_");
  const types = anyOf(body.work_pools, "type", "any_");
  const ids = anyOf(body.work_pools, "id", "any_");
  const pools = [...ctx.pools.values()]
    .filter((p) => (!names || names.includes(p.name)) && (!types || types.includes(p.type)) && (!ids || ids.includes(p.id)))
    .sort((a, b) => a.name.localeCompare(b.name));
  return page(pools, body).map((p) => poolJson(p, ctx.workers));
}

function filterWorkers(ctx: PrefectContext, pool: string, body: Body) {
  const statuses = anyOf(body.workers, "status", "any_");
  const after = (body.workers as Body | undefined)?.last_heartbeat_time as Body | undefined;
  const afterMs = typeof after?.after_ === "string" ? Date.parse(after.after_) : undefined;
  const poolId = ctx.pools.get(pool)?.id;
  const rows = ctx.workers
    .filter((w) => w.pool === pool)
    .filter((w) => !statuses || statuses.includes(w.online ? "ONLINE" : "OFFLINE"))
    .filter((w) => afterMs === undefined || w.lastHeartbeat > afterMs)
    .sort((a, b) => b.lastHeartbeat - a.lastHeartbeat)
    .map((w) => ({
      id: w.id,
      created: iso(w.created),
      updated: iso(w.lastHeartbeat),
      name: w.name,
      work_pool_id: poolId,
      last_heartbeat_time: iso(w.lastHeartbeat),
      heartbeat_interval_seconds: 30,
      client_version: ctx.version,
      status: w.online ? "ONLINE" : "OFFLINE",
    }));
  return page(rows, body);
}

export function countFlowRuns(ctx: PrefectContext, body: Body): number {
  const types = anyOf(body.flow_runs, "state", "type", "any_");
  const names = anyOf(body.flow_runs, "state", "name", "any_");
  let total = 0;
  for (const [name, n] of Object.entries(ctx.flowRunsByStateName)) {
    const type = STATE_TYPE_OF[name] ?? name.toUpperCase();
    if (types && !types.includes(type)) continue;
    if (names && !names.includes(name)) continue;
    total += n;
  }
  return total;
}
