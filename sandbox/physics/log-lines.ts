// Realistic Prefect server / worker log lines (formats as Prefect 3 and uvicorn print them). Pure generators.
import { randomUUID } from "node:crypto";
import { hexId, pick, randInt, type Rng } from "../util/prng";

export type LogKind = "server" | "worker" | "other";

export interface LineContext {
  kind: LogKind;
  rng: Rng;
  now: number;
  /** e.g. "ECSWorker 3f…" for workers */
  workerName?: string;
  pool?: string;
  poolType?: string;
  taskId: string;
}

const p2 = (n: number) => String(n).padStart(2, "0");
/** Prefect's console format: `HH:MM:SS.mmm | LEVEL   | logger - message`. */
export function prefectLine(ms: number, level: "INFO" | "WARNING" | "ERROR" | "DEBUG", logger: string, msg: string): string {
  const d = new Date(ms);
  const t = `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${String(d.getUTCMilliseconds()).padStart(3, "0")}`;
  return `${t} | ${level.padEnd(7)} | ${logger} - ${msg}`;
}

function jsonLine(ms: number, level: string, name: string, message: string, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ timestamp: new Date(ms).toISOString(), level, name, message, ...extra });
}

export function serverBanner(ms: number): string[] {
  return [
    "INFO:     Started server process [1]",
    "INFO:     Waiting for application startup.",
    prefectLine(ms, "INFO", "prefect.server.database", "Running database migrations..."),
    prefectLine(ms, "INFO", "prefect.server.database", "Database migrations complete."),
    "",
    " ___ ___ ___ ___ ___ ___ _____ ",
    "| _ \\ _ \\ __| __| __/ __|_   _| ",
    "|  _/   / _|| _|| _| (__  | |  ",
    "|_| |_|_\\___|_| |___\\___| |_|  ",
    "",
    "Configure Prefect to communicate with the server with:",
    "",
    "    prefect config set PREFECT_API_URL=http://0.0.0.0:4200/api",
    "",
    "View the API reference documentation at http://0.0.0.0:4200/docs",
    "",
    "Check out the dashboard at http://0.0.0.0:4200",
    "",
    "INFO:     Application startup complete.",
    "INFO:     Uvicorn running on http://0.0.0.0:4200 (Press CTRL+C to quit)",
  ];
}

const workerLogger = (ctx: LineContext) =>
  `prefect.worker.${ctx.poolType ?? "process"}.${(ctx.poolType ?? "process").replace(/-/g, "")}worker ${ctx.taskId.slice(0, 8)}`;

/** What a worker logs at each heartbeat when its API cannot be reached (the httpx error Prefect reports). */
export function workerApiErrorLine(ctx: LineContext, ms: number, apiUrl: string, error: string): string {
  return prefectLine(ms, "ERROR", workerLogger(ctx), `Failed to reach the Prefect API at ${apiUrl}: ${error}`);
}

export function workerBanner(ctx: LineContext): string[] {
  const logger = workerLogger(ctx);
  return [
    `Discovered type '${ctx.poolType ?? "process"}' for work pool '${ctx.pool ?? "default"}'.`,
    `Worker '${ctx.workerName ?? "worker"}' started!`,
    prefectLine(ctx.now, "INFO", logger, `Worker '${ctx.workerName ?? "worker"}' started!`),
  ];
}

export function shutdownLines(kind: LogKind, ms: number): string[] {
  if (kind === "server") {
    return [
      "INFO:     Shutting down",
      "INFO:     Waiting for application shutdown.",
      "INFO:     Application shutdown complete.",
      "INFO:     Finished server process [1]",
    ];
  }
  if (kind === "worker") return [prefectLine(ms, "INFO", "prefect.worker", "Worker shutting down (received SIGTERM).")];
  return [];
}

/** What a container whose command cannot run prints before it exits. */
export function crashLines(command: readonly string[]): string[] {
  const first = command[0] ?? "";
  if (first !== "prefect" && !first.endsWith("/prefect")) {
    return [`exec: "${first}": executable file not found in $PATH`];
  }
  return [
    `Usage: prefect [OPTIONS] COMMAND [ARGS]...`,
    `Try 'prefect --help' for help.`,
    `╭─ Error ───────────────────────────────────────────────────────╮`,
    `│ No such command '${command[1] ?? ""}'.${" ".repeat(Math.max(0, 44 - (command[1] ?? "").length))}│`,
    `╰───────────────────────────────────────────────────────────────╯`,
  ];
}

const PATHS = [
  ["GET", "/api/health", 200],
  ["GET", "/api/health", 200],
  ["GET", "/api/health", 200],
  ["POST", "/api/work_pools/{pool}/get_scheduled_flow_runs", 200],
  ["POST", "/api/work_pools/{pool}/workers/heartbeat", 204],
  ["POST", "/api/flow_runs/filter", 200],
  ["POST", "/api/flow_runs/count", 200],
  ["GET", "/api/admin/version", 200],
  ["POST", "/api/logs/", 201],
  ["POST", "/api/task_runs/", 201],
  ["POST", "/api/flow_runs/{id}/set_state", 201],
  ["GET", "/api/deployments/{id}", 200],
  ["POST", "/api/work_pools/filter", 200],
] as const;

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  204: "No Content",
  404: "Not Found",
  409: "Conflict",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** One log line of a running container. */
export function nextLine(ctx: LineContext, ms: number): string {
  const r = ctx.rng();
  if (ctx.kind === "server") {
    if (r < 0.62) {
      const [method, tpl, ok] = pick(ctx.rng, PATHS);
      const path = tpl.replace("{pool}", ctx.pool ?? "default").replace("{id}", randomUUID());
      const status = ctx.rng() < 0.01 ? 500 : ctx.rng() < 0.01 ? 404 : ok;
      const ip = `10.0.${pick(ctx.rng, [0, 1, 10, 11])}.${randInt(ctx.rng, 5, 250)}`;
      return `INFO:     ${ip}:${randInt(ctx.rng, 32768, 60999)} - "${method} ${path} HTTP/1.1" ${status} ${STATUS_TEXT[status] ?? ""}`.trimEnd();
    }
    if (r < 0.8) {
      return prefectLine(
        ms,
        "INFO",
        pick(ctx.rng, [
          "prefect.server.services.scheduler",
          "prefect.server.services.foreman",
          "prefect.server.services.late_runs",
          "prefect.server.events.triggers",
          "prefect.server.services.cancellation_cleanup",
        ]),
        pick(ctx.rng, [
          `Scheduled ${randInt(ctx.rng, 1, 20)} runs.`,
          "Finished monitoring for late runs.",
          `Marked flow run '${adjective(ctx.rng)}-${animal(ctx.rng)}' as Late.`,
          "Finished cleaning up cancelled flow runs.",
          `Evaluated ${randInt(ctx.rng, 1, 12)} automations.`,
          "Foreman checked work pool and worker statuses.",
        ]),
      );
    }
    if (r < 0.9) {
      return jsonLine(ms, "INFO", "prefect.server.api.server", pick(ctx.rng, ["Request handled", "Flow run state transition accepted"]), {
        flow_run_id: randomUUID(),
        duration_ms: randInt(ctx.rng, 2, 180),
      });
    }
    if (r < 0.97) {
      return prefectLine(
        ms,
        "WARNING",
        pick(ctx.rng, ["prefect.server.services.late_runs", "prefect.server.api.workers", "prefect.server.events.ordering"]),
        pick(ctx.rng, [
          `Flow run '${randomUUID()}' is late by ${randInt(ctx.rng, 10, 300)} seconds.`,
          `Work pool '${ctx.pool ?? "default"}' has no online workers.`,
          "Event arrived out of order; holding for predecessor.",
        ]),
      );
    }
    if (r < 0.99)
      return jsonLine(ms, "ERROR", "prefect.server.api.server", "Encountered exception in request", {
        exc_type: "sqlalchemy.exc.OperationalError",
        path: "/api/flow_runs/filter",
      });
    return prefectLine(
      ms,
      "ERROR",
      "prefect.server",
      "Encountered retryable exception in request: asyncpg.exceptions.TooManyConnectionsError",
    );
  }
  if (ctx.kind === "worker") {
    const logger = workerLogger(ctx);
    const run = `${adjective(ctx.rng)}-${animal(ctx.rng)}`;
    const id = randomUUID();
    if (r < 0.45)
      return prefectLine(
        ms,
        "INFO",
        logger,
        `Querying for flow runs scheduled before ${new Date(ms + 10_000).toISOString().replace("Z", "+00:00")}`,
      );
    if (r < 0.6) return prefectLine(ms, "INFO", logger, `Worker '${ctx.workerName ?? "worker"}' submitting flow run '${id}'`);
    if (r < 0.7) return prefectLine(ms, "INFO", "prefect.flow_runs.worker", `Creating ECS task run for flow run '${run}'...`);
    if (r < 0.8) return prefectLine(ms, "INFO", logger, `Completed submission of flow run '${id}'`);
    if (r < 0.88)
      return jsonLine(ms, "INFO", "prefect.flow_runs", `Finished in state Completed()`, { flow_run_name: run, flow_run_id: id });
    if (r < 0.96)
      return prefectLine(
        ms,
        "WARNING",
        logger,
        pick(ctx.rng, [
          `Flow run '${id}' was cancelled before submission.`,
          `ECS task for flow run '${run}' is taking a long time to start (${randInt(ctx.rng, 60, 300)}s).`,
        ]),
      );
    if (r < 0.99) return prefectLine(ms, "ERROR", logger, `Failed to submit flow run '${id}' to infrastructure.`);
    return jsonLine(ms, "ERROR", "prefect.flow_runs", "Finished in state Failed('Flow run encountered an exception.')", {
      flow_run_id: id,
      exception: "ValueError: boom",
    });
  }
  return `${new Date(ms).toISOString()} app ${hexId(ctx.rng, 6)} heartbeat`;
}

const ADJ = ["brave", "calm", "eager", "fancy", "gentle", "jolly", "lucky", "proud", "silly", "witty", "amber", "crimson"];
const ANIMALS = ["otter", "badger", "falcon", "lemur", "marmot", "panda", "quokka", "toucan", "walrus", "yak", "ibis", "gecko"];
const adjective = (rng: Rng) => pick(rng, ADJ);
const animal = (rng: Rng) => pick(rng, ANIMALS);
