import "server-only";
import type { Panel, PrefectDto, PrefectPoolDto } from "@/lib/ops/types";
import { log } from "@/server/log";
import {
  PrefectError,
  prefectFlowRunCounts,
  prefectHealth,
  prefectReady,
  prefectVersion,
  prefectWorkers,
  prefectWorkPools,
  type PrefectTarget,
} from "./client";

// The Prefect panel of the stack page: health, readiness, version, work pools with their workers, flow-run counts,
// each its own panel. All requests run in parallel; the slowest bounds the panel (each has a timeout).

const MAX_POOLS_WITH_WORKERS = 20;

function errorText(err: unknown): string {
  if (err instanceof PrefectError) return err.message;
  log.warn("prefect call failed", { error: err instanceof Error ? err.message : String(err) });
  return "The Prefect API call failed; the details are in the console's log.";
}

async function panel<T>(p: Promise<T>): Promise<Panel<T>> {
  try {
    return { ok: true, data: await p };
  } catch (err) {
    return { ok: false, error: errorText(err) };
  }
}

function heartbeatMs(s: string | null | undefined): number | null {
  if (!s) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

async function poolsWithWorkers(t: PrefectTarget): Promise<PrefectPoolDto[]> {
  const pools = await prefectWorkPools(t);
  return Promise.all(
    pools.map(async (p, i): Promise<PrefectPoolDto> => {
      const base = { name: p.name, type: p.type, status: p.status ?? (p.is_paused ? "PAUSED" : "NOT_READY") };
      if (i >= MAX_POOLS_WITH_WORKERS) return { ...base, workers: null, workersError: "Not loaded (too many pools)" };
      try {
        const workers = await prefectWorkers(t, p.name);
        return {
          ...base,
          workers: workers.map((w) => ({ name: w.name, status: w.status ?? "OFFLINE", lastHeartbeat: heartbeatMs(w.last_heartbeat_time) })),
          workersError: null,
        };
      } catch (err) {
        return { ...base, workers: null, workersError: errorText(err) };
      }
    }),
  );
}

/** Advice when the console cannot reach Prefect through the load balancer. */
export function unreachableAdvice(scheme: string | null, err: unknown): string | null {
  if (!(err instanceof PrefectError) || (err.kind !== "unreachable" && err.kind !== "timeout")) return null;
  if (scheme === "internal")
    return (
      "Unreachable from the console: the load balancer is internal, so Prefect answers only inside the VPC. " +
      "Run the console inside the VPC (for example as an ECS service in the same subnets), or reach the VPC through a VPN or an SSM port-forward " +
      "and point HTTPS_PROXY/HTTP_PROXY at it; or make the load balancer internet-facing (with allowed CIDRs) under Settings."
    );
  return "Unreachable from the console: the load balancer did not answer. Check its security group allows the console's address, and the target health below.";
}

export async function prefectOverview(target: PrefectTarget | null, scheme: string | null, unavailable?: string): Promise<PrefectDto> {
  if (!target) {
    const error = unavailable ?? "No load balancer yet, so there is no Prefect API URL.";
    const down = { ok: false as const, error };
    return { apiUrl: null, unreachable: null, health: down, ready: down, version: down, pools: down, flowRuns: down };
  }
  // Everything in parallel (each call has its own timeout); when health shows the ALB is unreachable, the other
  // panels just say so instead of repeating the same network error.
  let healthErr: unknown;
  const [health, ready, version, pools, flowRuns] = await Promise.all([
    prefectHealth(target).then(
      (v): Panel<boolean> => ({ ok: true, data: v }),
      (err: unknown): Panel<boolean> => ((healthErr = err), { ok: false, error: errorText(err) }),
    ),
    panel(prefectReady(target)),
    panel(prefectVersion(target)),
    panel(poolsWithWorkers(target)),
    panel(prefectFlowRunCounts(target)),
  ]);
  const advice = healthErr ? unreachableAdvice(scheme, healthErr) : null;
  if (advice) {
    const down = { ok: false as const, error: "Not reachable from the console." };
    return { apiUrl: target.apiUrl, unreachable: advice, health, ready: down, version: down, pools: down, flowRuns: down };
  }
  return { apiUrl: target.apiUrl, unreachable: null, health, ready, version, pools, flowRuns };
}
