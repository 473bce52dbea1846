import { routeUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { getRun } from "@/server/stack/runs";

// GET /api/stacks/<env>/runs/<id>/events — the run with its steps, polled by the run page (about once a second
// while the run is active). JSON, not SSE: a run changes a few times a second at most and polling survives proxies.
export async function GET(_req: Request, { params }: { params: Promise<{ env: string; id: string }> }) {
  const user = await routeUser("viewer");
  if (user instanceof Response) return user;
  const { env, id } = await params;
  if (!/^[0-9a-f-]{36}$/.test(id)) return Response.json({ error: "Not a run id." }, { status: 400 });
  const run = await getRun(await db(), id);
  if (!run || run.env !== env) return Response.json({ error: "No such run." }, { status: 404 });
  return Response.json(run, { headers: { "cache-control": "no-store" } });
}
