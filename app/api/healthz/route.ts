// GET /api/healthz — liveness for the container's HEALTHCHECK and ECS: the process answers. Public on purpose (a
// probe has no session; proxy.ts lets it through) and says nothing else: no version, no store, no AWS.
export const dynamic = "force-dynamic";

export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
