import { readiness } from "@/server/lifecycle/readiness";
import { log } from "@/server/log";

// GET /api/readyz — readiness for the load balancer's health check: 200 while this replica can serve (store
// reachable, migrations applied, not shutting down), else 503. Public on purpose (proxy.ts lets it through); the
// reason goes to the log, never to the anonymous caller.
export const dynamic = "force-dynamic";

const g = globalThis as typeof globalThis & { __pecLastReadiness?: string };

export async function GET() {
  const r = await readiness();
  const state = r.ready ? "ready" : r.reason;
  // Logged when it changes, not on every probe.
  if (g.__pecLastReadiness !== state) {
    if (r.ready) log.info("ready");
    else log.warn("not ready", { reason: r.reason, detail: r.detail });
    g.__pecLastReadiness = state;
  }
  return Response.json(
    { status: r.ready ? "ready" : "not ready" },
    { status: r.ready ? 200 : 503, headers: { "cache-control": "no-store" } },
  );
}
