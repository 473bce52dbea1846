import { ENV_NAME_PATTERN } from "@/lib/names";
import { routeUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { sharedSnapshot } from "@/server/ops/snapshot-cache";

// GET /api/stacks/<env>/snapshot → the stack's overview (StackSnapshot JSON) for the page's refresher.
// Read-only; any signed-in user. One snapshot = a fixed number of batched AWS calls, shared by concurrent viewers
// for up to 2 s (server/ops/snapshot-cache.ts).
export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ env: string }> }): Promise<Response> {
  const user = await routeUser("viewer");
  if (user instanceof Response) return user;
  const { env } = await ctx.params;
  if (!ENV_NAME_PATTERN.test(env)) return Response.json({ error: "Not a stack name." }, { status: 400 });
  const snapshot = await sharedSnapshot(await db(), env);
  if (!snapshot) return Response.json({ error: `There is no stack named ${env}.` }, { status: 404 });
  return Response.json(snapshot, { headers: { "cache-control": "no-store" } });
}
