import { routeUser } from "@/server/auth/current";
import { decodeCursor, historyPage, sourceFetch } from "@/server/logs/history";
import { awsFailure, jsonError, parseLogRequest, queryObject } from "@/server/logs/request";
import { rangeProblem } from "@/lib/logs";
import { historyQuerySchema } from "@/lib/schemas/logs";

// GET /api/stacks/<env>/logs/history?source&task&filter&start=<ms>&end=<ms>&limit=<n>&cursor=<older page>
// → { lines (oldest first), older (cursor or null), partial }. The newest `limit` lines of the range first;
// "load older" passes `older` back as `cursor`.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request, ctx: { params: Promise<{ env: string }> }) {
  const user = await routeUser("viewer");
  if (user instanceof Response) return user;
  const { env } = await ctx.params;
  const r = await parseLogRequest(env, queryObject(request.url), historyQuerySchema);
  if (r instanceof Response) return r;
  const q = r.query;
  const problem = rangeProblem(q.start, q.end);
  if (problem) return jsonError(400, problem, "range");
  const cursor = q.cursor ? decodeCursor(q.cursor) : undefined;
  if (q.cursor && !cursor) return jsonError(400, "That page cursor is not valid; reload the range.", "cursor");
  try {
    const fetch = await sourceFetch(r.src, q.filter);
    if (!fetch)
      return Response.json({ lines: [], older: null, partial: false, source: r.src.label }, { headers: { "Cache-Control": "no-store" } });
    const page = await historyPage(fetch, { start: q.start, end: Math.min(q.end, Date.now() + 60_000), limit: q.limit, cursor });
    return Response.json(
      { lines: page.lines, older: page.older ?? null, partial: page.partial, source: r.src.label },
      { headers: { "Cache-Control": "no-store" } },
    );
  } catch (err) {
    return awsFailure(err);
  }
}
