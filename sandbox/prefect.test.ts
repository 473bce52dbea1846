import { describe, expect, it } from "vitest";
import { handlePrefect, newPool, type PrefectContext } from "./prefect/api";
import { nextLine, prefectLine } from "./physics/log-lines";
import { mulberry32 } from "./util/prng";

function ctx(over: Partial<PrefectContext> = {}): PrefectContext {
  return {
    version: "3.4.11",
    pools: new Map(),
    workers: [],
    flowRunsByStateName: { Completed: 10, Running: 2, Late: 1, Scheduled: 3 },
    now: Date.UTC(2026, 10, 29),
    ...over,
  };
}
const call = (c: PrefectContext, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const r = handlePrefect(c, method, path, headers, body === undefined ? "" : JSON.stringify(body));
  return { status: r.status, body: r.body ? (JSON.parse(r.body) as unknown) : undefined };
};

describe("Prefect stand-in API", () => {
  it("answers health, ready and versions like Prefect 3", () => {
    const c = ctx();
    expect(call(c, "GET", "/api/health")).toEqual({ status: 200, body: true });
    expect(call(c, "GET", "/api/ready")).toEqual({ status: 200, body: { message: "OK" } });
    expect(call(c, "GET", "/api/admin/version").body).toBe("3.4.11");
    expect(call(c, "GET", "/api/version").body).toBe("0.8.4");
    expect(call(c, "GET", "/api/nope")).toEqual({ status: 404, body: { detail: "Not Found" } });
  });

  it("creates work pools with Prefect's 201/409/403/422 rules", () => {
    const c = ctx();
    const created = call(c, "POST", "/api/work_pools/", { name: "default", type: "process" });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "default",
      type: "process",
      status: "NOT_READY",
      is_paused: false,
      concurrency_limit: null,
    });
    expect(call(c, "POST", "/api/work_pools/", { name: "default", type: "process" })).toEqual({
      status: 409,
      body: { detail: "A work pool with this name already exists." },
    });
    expect(call(c, "POST", "/api/work_pools/", { name: "Prefect-x" })).toEqual({
      status: 403,
      body: { detail: "Work pools starting with 'Prefect' are reserved for internal use." },
    });
    expect(call(c, "POST", "/api/work_pools/", {}).status).toBe(422);
    expect(call(c, "GET", "/api/work_pools/missing")).toEqual({ status: 404, body: { detail: 'Work pool "missing" not found.' } });
  });

  it("lists workers with ONLINE/OFFLINE and marks a pool READY when one is online", () => {
    const now = Date.UTC(2026, 10, 29);
    const pools = new Map([["prod", newPool("prod", "ecs", now)]]);
    const c = ctx({
      pools,
      workers: [
        { id: "w1", name: "ECSWorker w1", pool: "prod", created: now - 1000, lastHeartbeat: now - 10, online: true },
        { id: "w2", name: "ECSWorker w2", pool: "prod", created: now - 1000, lastHeartbeat: now - 500_000, online: false },
      ],
    });
    const w = call(c, "POST", "/api/work_pools/prod/workers/filter", {}).body as { name: string; status: string }[];
    expect(w.map((x) => [x.name, x.status])).toEqual([
      ["ECSWorker w1", "ONLINE"],
      ["ECSWorker w2", "OFFLINE"],
    ]);
    expect((call(c, "GET", "/api/work_pools/prod").body as { status: string }).status).toBe("READY");
    const online = call(c, "POST", "/api/work_pools/prod/workers/filter", { workers: { status: { any_: ["ONLINE"] } } }).body as unknown[];
    expect(online).toHaveLength(1);
  });

  it("counts flow runs by state type or name", () => {
    const c = ctx();
    expect(call(c, "POST", "/api/flow_runs/count", { flow_runs: { state: { type: { any_: ["SCHEDULED"] } } } }).body).toBe(4);
    expect(call(c, "POST", "/api/flow_runs/count", { flow_runs: { state: { name: { any_: ["Late"] } } } }).body).toBe(1);
    expect(call(c, "POST", "/api/flow_runs/count", {}).body).toBe(16);
  });

  it("requires basic auth except for health and ready when an auth string is set", () => {
    const c = ctx({ authString: "admin:pw" });
    expect(call(c, "GET", "/api/health").status).toBe(200);
    expect(call(c, "POST", "/api/work_pools/filter", {})).toEqual({ status: 401, body: { exception_message: "Unauthorized" } });
    const ok = call(c, "POST", "/api/work_pools/filter", {}, { authorization: `Basic ${Buffer.from("admin:pw").toString("base64")}` });
    expect(ok.status).toBe(200);
  });
});

describe("log lines", () => {
  it("look like Prefect's and uvicorn's, with some JSON and all three levels", () => {
    expect(prefectLine(Date.UTC(2026, 0, 1, 12, 0, 1, 123), "INFO", "prefect.worker", "hi")).toBe(
      "12:00:01.123 | INFO    | prefect.worker - hi",
    );
    const rng = mulberry32(3);
    const lines = Array.from({ length: 2000 }, (_, i) =>
      nextLine(
        { kind: i % 2 ? "server" : "worker", rng, now: 0, taskId: "abcdef12", pool: "p", poolType: "ecs", workerName: "ECSWorker abc" },
        i,
      ),
    );
    expect(lines.some((l) => /^INFO: {5}10\.0\.\d+\.\d+:\d+ - "GET \/api\/health HTTP\/1\.1" 200 OK$/.test(l))).toBe(true);
    expect(lines.some((l) => l.includes("| WARNING |"))).toBe(true);
    expect(lines.some((l) => l.includes("| ERROR   |"))).toBe(true);
    expect(lines.some((l) => l.startsWith("{") && (JSON.parse(l) as { level: string }).level !== undefined)).toBe(true);
  });
});
