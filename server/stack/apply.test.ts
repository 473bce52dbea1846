import { describe, expect, it } from "vitest";
import { ConsoleAwsError } from "@/server/aws/errors";
import { CancelledError, runDag, type DagStep, type ExecOptions } from "./apply";
import { RetryableError, TerminalError } from "./types";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function opts(over: Partial<ExecOptions> = {}): ExecOptions {
  return {
    concurrency: 6,
    maxAttempts: 4,
    backoffMs: () => 1,
    sleep: (ms, signal) => (signal.aborted ? Promise.reject(new CancelledError()) : sleep(ms)),
    signal: new AbortController().signal,
    ...over,
  };
}

/** Records start/end times per step to check ordering and overlap. */
function recorder(delays: Record<string, number>) {
  const t0 = Date.now();
  const log: Record<string, { start: number; end: number }> = {};
  let inflight = 0;
  let maxInflight = 0;
  const run = async (key: string) => {
    inflight++;
    maxInflight = Math.max(maxInflight, inflight);
    const start = Date.now() - t0;
    await sleep(delays[key] ?? 5);
    log[key] = { start, end: Date.now() - t0 };
    inflight--;
    return { id: `${key}-out` };
  };
  return { run, log, max: () => maxInflight };
}

describe("runDag", () => {
  it("never starts a step before its dependencies are done, and passes their outputs", async () => {
    const steps: DagStep[] = [
      { key: "a", deps: [] },
      { key: "b", deps: ["a"] },
      { key: "c", deps: ["a", "b"] },
    ];
    const seen: Record<string, string[]> = {};
    const rec = recorder({});
    const res = await runDag(
      steps,
      async (key, refs) => {
        seen[key] = Object.keys(refs).sort();
        return rec.run(key);
      },
      opts(),
    );
    expect(res.status).toBe("succeeded");
    expect(rec.log.b!.start).toBeGreaterThanOrEqual(rec.log.a!.end);
    expect(rec.log.c!.start).toBeGreaterThanOrEqual(rec.log.b!.end);
    expect(seen.c).toEqual(["a", "b"]);
    expect(res.outputs.c).toEqual({ id: "c-out" });
  });

  it("starts each step as soon as its own dependencies are ready (not level by level)", async () => {
    // slow → x; fast → y: y must start long before slow finishes.
    const steps: DagStep[] = [
      { key: "slow", deps: [] },
      { key: "fast", deps: [] },
      { key: "x", deps: ["slow"] },
      { key: "y", deps: ["fast"] },
    ];
    const rec = recorder({ slow: 120, fast: 5, y: 5, x: 5 });
    const res = await runDag(steps, (k) => rec.run(k), opts());
    expect(res.status).toBe("succeeded");
    expect(rec.log.y!.end).toBeLessThan(rec.log.slow!.end);
  });

  it("bounds parallelism", async () => {
    const steps: DagStep[] = Array.from({ length: 8 }, (_, i) => ({ key: `s${i}`, deps: [] }));
    const rec = recorder(Object.fromEntries(steps.map((s) => [s.key, 20])));
    const res = await runDag(steps, (k) => rec.run(k), opts({ concurrency: 3 }));
    expect(res.status).toBe("succeeded");
    expect(rec.max()).toBe(3);
  });

  it("runs the critical path, not the sum: 4 independent 60 ms steps take ~60 ms", async () => {
    const steps: DagStep[] = Array.from({ length: 4 }, (_, i) => ({ key: `p${i}`, deps: [] }));
    const rec = recorder(Object.fromEntries(steps.map((s) => [s.key, 60])));
    const started = Date.now();
    await runDag(steps, (k) => rec.run(k), opts());
    expect(Date.now() - started).toBeLessThan(200);
  });

  it("retries retryable errors with backoff, then succeeds", async () => {
    let calls = 0;
    const delays: number[] = [];
    const res = await runDag(
      [{ key: "flaky", deps: [] }],
      async () => {
        calls++;
        if (calls < 3) throw new ConsoleAwsError("throttled", "throttled", true, "ThrottlingException");
        return {};
      },
      opts({ backoffMs: (n) => n * 2 }),
      { onRetry: (_k, _a, _e, d) => void delays.push(d) },
    );
    expect(res.status).toBe("succeeded");
    expect(calls).toBe(3);
    expect(delays).toEqual([2, 4]);
  });

  it("gives up after maxAttempts of a retryable error", async () => {
    let calls = 0;
    const res = await runDag(
      [{ key: "down", deps: [] }],
      async () => {
        calls++;
        throw new RetryableError("still down");
      },
      opts({ maxAttempts: 3 }),
    );
    expect(res.status).toBe("failed");
    expect(calls).toBe(3);
    expect(res.error).toBe("still down");
  });

  it("stops on a terminal error: dependants are skipped, the rest in flight finish", async () => {
    const steps: DagStep[] = [
      { key: "bad", deps: [] },
      { key: "other", deps: [] },
      { key: "after-bad", deps: ["bad"] },
      { key: "after-other", deps: ["other"] },
    ];
    let badCalls = 0;
    const res = await runDag(
      steps,
      async (key) => {
        if (key === "bad") {
          badCalls++;
          throw new TerminalError("AccessDenied: grant ecs:CreateCluster");
        }
        await sleep(30);
        return {};
      },
      opts(),
    );
    expect(res.status).toBe("failed");
    expect(badCalls).toBe(1);
    expect(res.statuses).toEqual({ bad: "failed", other: "done", "after-bad": "skipped", "after-other": "skipped" });
    expect(res.error).toContain("AccessDenied");
  });

  it("cancels: running steps stop at their next wait, nothing new starts", async () => {
    const ac = new AbortController();
    const steps: DagStep[] = [
      { key: "long", deps: [] },
      { key: "next", deps: ["long"] },
    ];
    setTimeout(() => ac.abort(), 20);
    const res = await runDag(
      steps,
      async (_k, _r, signal) => {
        await new Promise((resolve, reject) => {
          const t = setTimeout(resolve, 2_000);
          signal.addEventListener("abort", () => {
            clearTimeout(t);
            reject(new CancelledError());
          });
        });
        return {};
      },
      opts({ signal: ac.signal }),
    );
    expect(res.status).toBe("cancelled");
    expect(res.statuses).toEqual({ long: "cancelled", next: "cancelled" });
  });

  it("does not run steps an earlier run finished, and hands on their outputs", async () => {
    const ran: string[] = [];
    const res = await runDag(
      [
        { key: "a", deps: [] },
        { key: "b", deps: ["a"] },
      ],
      async (key, refs) => {
        ran.push(key);
        expect(refs.a).toEqual({ id: "stored" });
        return {};
      },
      opts(),
      {},
      { a: { id: "stored" } },
    );
    expect(res.status).toBe("succeeded");
    expect(ran).toEqual(["b"]);
  });
});
