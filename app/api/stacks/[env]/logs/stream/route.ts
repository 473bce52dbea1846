import { routeUser } from "@/server/auth/current";
import { sourceFetch } from "@/server/logs/history";
import { LogCapacityError, logRegistry } from "@/server/logs/registry";
import { parseLogRequest, queryObject } from "@/server/logs/request";
import { openLogStream, refusedLogStream, SSE_HEADERS } from "@/server/logs/sse";
import { streamQuerySchema } from "@/lib/schemas/logs";

// GET /api/stacks/<env>/logs/stream?source=all|server|worker|task&task=<id>&filter=<pattern>&since=<ms>
// Server-Sent Events: `lines` (JSON array, id = last line's `<ts>.<eventId>`), `status`, `notice`, `failed`.
// The browser's automatic reconnect sends Last-Event-ID; `lastEventId=` in the query does the same for the first
// connection (EventSource can't set headers).
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, ctx: { params: Promise<{ env: string }> }) {
  const user = await routeUser("viewer");
  if (user instanceof Response) return user;
  const { env } = await ctx.params;
  const raw = queryObject(request.url, { lastEventId: request.headers.get("last-event-id") ?? undefined });
  const r = await parseLogRequest(env, raw, streamQuerySchema);
  if (r instanceof Response) return r;
  let body: ReadableStream<Uint8Array>;
  try {
    body = openLogStream({
      registry: logRegistry(),
      src: r.src,
      filter: r.query.filter,
      lastEventId: r.query.lastEventId,
      since: r.query.since,
      backfillFetch: () => sourceFetch(r.src, r.query.filter),
      signal: request.signal,
      owner: user.id,
    });
  } catch (err) {
    if (!(err instanceof LogCapacityError)) throw err;
    body = refusedLogStream(err.message);
  }
  return new Response(body, { headers: SSE_HEADERS });
}
