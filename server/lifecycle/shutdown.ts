import "server-only";
import { log } from "@/server/log";

// Graceful shutdown. ECS (and `docker stop`) sends SIGTERM, waits the task's stopTimeout (30 s by default), then
// SIGKILLs. Within that: readiness fails at once (the load balancer stops sending new requests), no new provisioning
// work starts, running runs stop at a safe point and hand their lease back (another replica, or the next start,
// resumes them at once instead of after the lease expires), live log streams end with a reconnect hint, then Next's
// own handler closes the HTTP server and the process exits. A hard deadline bounds it all.

type Hook = { name: string; run: () => Promise<void> | void };

const g = globalThis as typeof globalThis & { __pecLifecycle?: { draining: boolean; hooks: Set<Hook>; drained?: Promise<DrainResult> } };
const state = (g.__pecLifecycle ??= { draining: false, hooks: new Set<Hook>() });

export interface DrainResult {
  /** Hooks that finished in time. */
  finished: string[];
  /** Hooks still running at the deadline (their work is abandoned when the process exits). */
  timedOut: string[];
}

/** True once shutdown began: readiness fails and no new work is taken. */
export const isDraining = (): boolean => state.draining;

/** Registers work to do on shutdown; returns a function that unregisters it (e.g. when a stream ends by itself). */
export function onShutdown(name: string, run: Hook["run"]): () => void {
  const hook: Hook = { name, run };
  state.hooks.add(hook);
  return () => void state.hooks.delete(hook);
}

/** Begins shutdown: runs every hook in parallel and resolves when all finished or `timeoutMs` passed. Idempotent. */
export function drain(timeoutMs: number): Promise<DrainResult> {
  if (state.drained) return state.drained;
  state.draining = true;
  const hooks = [...state.hooks];
  state.hooks.clear();
  const finished: string[] = [];
  const all = Promise.all(
    hooks.map(async (h) => {
      try {
        await h.run();
      } catch (err) {
        log.warn("shutdown step failed", { step: h.name, error: err instanceof Error ? err.message : String(err) });
      }
      finished.push(h.name);
    }),
  );
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  state.drained = Promise.race([all, deadline]).then(() => {
    clearTimeout(timer);
    const names = hooks.map((h) => h.name);
    return { finished: [...finished], timedOut: names.filter((n) => !finished.includes(n)) };
  });
  return state.drained;
}

/** Tests: back to a fresh process's state. */
export function resetLifecycleForTests(): void {
  state.draining = false;
  state.hooks.clear();
  state.drained = undefined;
}

const SIGNALS = ["SIGTERM", "SIGINT"] as const;

/**
 * Takes over SIGTERM and SIGINT: drain first (at most `graceMs` minus a second for the HTTP server to close), then
 * hand the signal to the handlers that were there before (Next's server registers its own before instrumentation
 * runs: it closes the HTTP server and exits with 128 + signal), or exit when there are none. The hard deadline, or a
 * second signal a while after the first (Ctrl-C again; not the copy a terminal's process group delivers), exits at once.
 */
export function handleTerminationSignals(graceMs: number): void {
  for (const signal of SIGNALS) {
    const previous = process.listeners(signal);
    process.removeAllListeners(signal);
    let started: number | undefined;
    process.on(signal, () => {
      if (started !== undefined) {
        if (Date.now() - started < 1_000) return;
        log.warn("second signal: exiting now", { signal });
        process.exit(1);
      }
      started = Date.now();
      log.info("shutting down", { signal, graceMs });
      setTimeout(() => {
        log.error("shutdown did not finish in time: exiting", { graceMs });
        process.exit(1);
      }, graceMs).unref();
      void drain(Math.max(0, graceMs - 1_000)).then((r) => {
        log.info("shutdown drained", { ms: Date.now() - (started ?? 0), ...r });
        if (previous.length === 0) process.exit(0);
        for (const l of previous) (l as (s: NodeJS.Signals) => void)(signal);
      });
    });
  }
}
