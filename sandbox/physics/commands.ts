// What a container command means to the simulator: is it a Prefect server, a worker of some pool, or something
// that would crash on a real task ("Essential container in task exited")?
const PREFECT_SUBCOMMANDS = new Set([
  "server",
  "worker",
  "work-pool",
  "work-queue",
  "flow",
  "flow-run",
  "deployment",
  "deploy",
  "config",
  "version",
  "profile",
  "block",
  "variable",
  "concurrency-limit",
  "global-concurrency-limit",
  "automation",
  "artifact",
  "task-run",
  "shell",
  "dashboard",
  "events",
  "init",
  "dev",
]);

/** Flatten `sh -c "…"` wrappers into words. */
export function commandWords(command: readonly string[]): string[] {
  if (command.length === 0) return [];
  const first = command[0] ?? "";
  if (/(^|\/)(ba)?sh$/.test(first) && command[1] === "-c") return (command[2] ?? "").trim().split(/\s+/).filter(Boolean);
  return command.flatMap((w) => w.trim().split(/\s+/)).filter(Boolean);
}

/**
 * A command the simulated container cannot run: the first word is not `prefect`, the Prefect sub-command is
 * unknown, or the command mentions the word "fail" (a deliberate way to show the circuit breaker).
 * An empty command means "the image's default" and is taken as healthy.
 */
export function isFailingCommand(command: readonly string[]): boolean {
  if (parsePoolScript(command)) return false;
  const words = commandWords(command);
  if (words.length === 0) return false;
  if (words.some((w) => /^fail(ing|ure|ed)?$/i.test(w.replace(/^-+/, "")))) return true;
  const first = words[0] ?? "";
  if (!/(^|\/)prefect$/.test(first)) return true;
  const sub = words[1];
  return sub !== undefined && !PREFECT_SUBCOMMANDS.has(sub);
}

export function isServerCommand(command: readonly string[]): boolean {
  const w = commandWords(command);
  return /(^|\/)prefect$/.test(w[0] ?? "") && w[1] === "server" && w[2] === "start";
}

export interface WorkerCommand {
  pool: string;
  type?: string;
  name?: string;
}

/** `prefect worker start --pool <pool> [--type <type>] [--name <name>]` (also `-p`, `-t`, `-n`, and `--pool=x`). */
export function parseWorkerCommand(command: readonly string[]): WorkerCommand | undefined {
  const w = commandWords(command);
  if (!/(^|\/)prefect$/.test(w[0] ?? "") || w[1] !== "worker" || w[2] !== "start") return undefined;
  const opt = (long: string, short: string): string | undefined => {
    for (let i = 3; i < w.length; i++) {
      const a = w[i] ?? "";
      if (a === long || a === short) return w[i + 1];
      if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
    }
    return undefined;
  };
  const pool = opt("--pool", "-p");
  if (!pool) return undefined;
  return { pool, type: opt("--type", "-t"), name: opt("--name", "-n") };
}

/** Prefect names a worker "<Type>Worker <uuid>" unless --name is given; the task id stands in for the uuid. */
export function workerDisplayName(w: WorkerCommand, taskId: string): string {
  if (w.name) return w.name;
  const t = (w.type ?? "process").toLowerCase();
  const known: Record<string, string> = {
    ecs: "ECSWorker",
    process: "ProcessWorker",
    docker: "DockerWorker",
    kubernetes: "KubernetesWorker",
  };
  const cls = known[t] ?? `${t.charAt(0).toUpperCase()}${t.slice(1)}Worker`;
  return `${cls} ${taskId}`;
}

// ── One-off Prefect CLI tasks ────────────────────────────────────────────────────────────────────────────────────
// The console creates work pools from inside the VPC (when it cannot reach the API itself) with a one-off ECS task
// running the server image's Prefect CLI — a shell script of `&&`-joined steps:
//   printf %s "$VAR" > FILE                                   (a base job template from the environment)
//   prefect work-pool inspect NAME >/dev/null 2>&1 || prefect work-pool create NAME --type T
//   prefect work-pool create NAME --type T [--base-job-template FILE] [--overwrite]
// The simulator runs it against the stack's Prefect stand-in (physics/cli-tasks.ts) and the container exits.

export interface PoolCreate {
  name: string;
  type?: string;
  /** The environment variable the template file was written from. */
  templateVar?: string;
  overwrite: boolean;
  /** Guarded by `inspect NAME || …`: creates only when missing, never fails because the pool exists. */
  onlyIfMissing: boolean;
}

/** The pool operations of a one-off CLI task's command, or undefined when it is not such a script. */
export function parsePoolScript(command: readonly string[]): PoolCreate[] | undefined {
  const first = command[0] ?? "";
  if (!/(^|\/)(ba)?sh$/.test(first) || command[1] !== "-c") return undefined;
  const files = new Map<string, string>();
  const out: PoolCreate[] = [];
  for (const raw of (command[2] ?? "").split("&&")) {
    const step = raw
      .trim()
      .replace(/^\(\s*/, "")
      .replace(/\s*\)$/, "");
    const printf = /^printf\s+(?:'%s'|%s|"%s")\s+"?\$\{?(\w+)\}?"?\s*>\s*(\S+)$/.exec(step);
    if (printf) {
      files.set(printf[2] ?? "", printf[1] ?? "");
      continue;
    }
    const guarded = /^prefect\s+work-pool\s+inspect\s+(\S+)[^|]*\|\|\s*(prefect\s+work-pool\s+create\s+.+)$/.exec(step);
    const create = guarded?.[2] ?? (/^prefect\s+work-pool\s+create\s+.+$/.test(step) ? step : undefined);
    if (!create) return undefined;
    const w = create.split(/\s+/);
    const opt = (name: string) => {
      const i = w.indexOf(name);
      return i >= 0 ? w[i + 1] : undefined;
    };
    const file = opt("--base-job-template");
    out.push({
      name: w[3] ?? "",
      type: opt("--type") ?? opt("-t"),
      ...(file ? { templateVar: files.get(file) } : {}),
      overwrite: w.includes("--overwrite"),
      onlyIfMissing: Boolean(guarded && guarded[1] === w[3]),
    });
  }
  return out.length ? out : undefined;
}
