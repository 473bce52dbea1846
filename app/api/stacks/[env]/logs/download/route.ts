import { routeUser } from "@/server/auth/current";
import { scanRange, sourceFetch } from "@/server/logs/history";
import { awsFailure, jsonError, parseLogRequest, queryObject } from "@/server/logs/request";
import { rangeProblem } from "@/lib/logs";
import { historyQuerySchema } from "@/lib/schemas/logs";

// GET /api/stacks/<env>/logs/download?source&task&filter&start=<ms>&end=<ms>
// A plain-text file of every line in the range (oldest first, ≤ 200,000 lines), streamed page by page.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const MAX_LINES = 200_000;

export async function GET(request: Request, ctx: { params: Promise<{ env: string }> }) {
  const user = await routeUser("viewer");
  if (user instanceof Response) return user;
  const { env } = await ctx.params;
  const r = await parseLogRequest(env, queryObject(request.url), historyQuerySchema);
  if (r instanceof Response) return r;
  const q = r.query;
  const problem = rangeProblem(q.start, q.end);
  if (problem) return jsonError(400, problem, "range");
  let fetch;
  try {
    fetch = await sourceFetch(r.src, q.filter);
  } catch (err) {
    return awsFailure(err);
  }
  const enc = new TextEncoder();
  const pages = fetch ? scanRange(fetch, { start: q.start, end: q.end, maxLines: MAX_LINES }) : undefined;
  let written = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = pages ? await pages.next() : { done: true as const, value: undefined };
        if (next.done) {
          if (written >= MAX_LINES)
            controller.enqueue(enc.encode(`# stopped after ${MAX_LINES} lines; download a shorter range for the rest\n`));
          return controller.close();
        }
        written += next.value.length;
        controller.enqueue(
          enc.encode(next.value.map((l) => `${new Date(l.ts).toISOString()} ${l.stream} ${l.message.replace(/\n+$/, "")}\n`).join("")),
        );
      } catch (err) {
        controller.enqueue(enc.encode(`# download interrupted: ${err instanceof Error ? err.message : String(err)}\n`));
        controller.close();
      }
    },
    async cancel() {
      await pages?.return(undefined);
    },
  });
  const name =
    `${r.stack.env}-${r.src.key.replace(/[^a-z0-9]+/gi, "-")}-${new Date(q.start).toISOString().replace(/[:.]/g, "")}.log`.replace(
      /-+/g,
      "-",
    );
  return new Response(body, {
    headers: {
      "Content-Type": "text/plain; charset=utf-8",
      "Content-Disposition": `attachment; filename="${name}"`,
      "Cache-Control": "no-store",
    },
  });
}
