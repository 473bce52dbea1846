import "server-only";
import { EnvHttpProxyAgent, fetch } from "undici";
import { stackSecretNames, stackUrls } from "@/lib/stack-names";
import { findLoadBalancer } from "@/server/aws/elbv2";
import { getSecretValue } from "@/server/aws/secrets";
import { PrefectError, prefectWorkPools, type PrefectTarget } from "@/server/prefect/client";
import { defineResource, RetryableError, TerminalError, type StackContext } from "../types";

// The seed's last step (`prefect work-pool create default --type process` and `production --type ecs`), done
// through the Prefect REST API once the server answers through the load balancer:
//   curl -X POST $PREFECT_API_URL/work_pools/ -d '{"name":"production","type":"ecs"}'
// An ECS pool is created with an empty base job template: the first ECS worker fills in its default template.
// Pools live in Prefect's database, so destroying the stack removes them with it (delete is a no-op).

interface PoolsDesired {
  pools: { name: string; type: string }[];
}
interface PoolsObserved {
  reachable: boolean;
  pools: { name: string; type: string }[];
}

let agent: EnvHttpProxyAgent | undefined;
const dispatcher = () => (agent ??= new EnvHttpProxyAgent({ connect: { timeout: 3_000 } }));

async function target(ctx: StackContext): Promise<PrefectTarget | undefined> {
  const lb = await findLoadBalancer(ctx.region, ctx.names.alb);
  if (!lb?.DNSName) return undefined;
  const authString = ctx.spec.basicAuth
    ? await getSecretValue(ctx.region, stackSecretNames(ctx.env).apiAuth).catch(() => undefined)
    : undefined;
  return { apiUrl: stackUrls(ctx.spec, lb.DNSName).api, ...(authString ? { authString } : {}), timeoutMs: 5_000 };
}

async function createPool(t: PrefectTarget, pool: { name: string; type: string }): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (t.authString) headers.authorization = `Basic ${Buffer.from(t.authString).toString("base64")}`;
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(`${t.apiUrl}/work_pools/`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: pool.name, type: pool.type }),
      dispatcher: dispatcher(),
      signal: AbortSignal.timeout(t.timeoutMs ?? 5_000),
    });
  } catch (err) {
    throw new RetryableError(`Prefect API not reachable yet at ${t.apiUrl} (${(err as Error).message}); retrying`);
  }
  await res.text();
  if (res.status === 409) return; // exists already
  if (res.status === 401 || res.status === 403)
    throw new TerminalError(
      `Prefect refused the console's basic-auth credentials (HTTP ${res.status}) while creating work pool ${pool.name}.`,
    );
  if (res.status >= 500 || res.status === 404)
    throw new RetryableError(`Prefect answered HTTP ${res.status} creating work pool ${pool.name}; retrying`);
  if (!res.ok) throw new TerminalError(`Prefect rejected work pool ${pool.name} (HTTP ${res.status}).`);
}

export const workPools = defineResource<PoolsDesired, PoolsObserved>({
  key: "work-pools",
  kind: "Prefect work pools",
  group: "prefect",
  dependsOn: ["service-server", "listeners", "dns-record"],
  name: (ctx) => `default, ${ctx.spec.workerPoolName}`,
  desired: (ctx) => ({
    pools: [
      { name: "default", type: "process" },
      { name: ctx.spec.workerPoolName, type: ctx.spec.workerPoolType },
    ],
  }),
  observe: async (ctx) => {
    const t = await target(ctx);
    if (!t) return undefined;
    try {
      const pools = await prefectWorkPools({ ...t, timeoutMs: 4_000 });
      return { reachable: true, pools: pools.map((p) => ({ name: p.name, type: p.type })) };
    } catch (err) {
      if (err instanceof PrefectError) return { reachable: false, pools: [] };
      throw err;
    }
  },
  diff: (d, o) => {
    if (!o.reachable)
      return {
        action: "noop",
        changes: [],
        notes: ["The Prefect API is not reachable from the console right now; work pools are checked again when the stack is applied."],
      };
    const missing = d.pools.filter((p) => !o.pools.some((x) => x.name === p.name));
    const wrongType = d.pools.filter((p) => o.pools.some((x) => x.name === p.name && x.type !== p.type));
    return {
      action: missing.length ? "update" : "noop",
      changes: missing.map((p) => ({ field: `pool ${p.name}`, to: `create (${p.type})` })),
      ...(wrongType.length
        ? { notes: wrongType.map((p) => `Work pool ${p.name} exists with another type; the console leaves it as it is.`) }
        : {}),
    };
  },
  create: async (ctx, d) => {
    const t = await target(ctx);
    if (!t) throw new RetryableError("The load balancer has no DNS name yet");
    for (const p of d.pools) await createPool(t, p);
  },
  update: async (ctx, d, o) => {
    const t = await target(ctx);
    if (!t) throw new RetryableError("The load balancer has no DNS name yet");
    for (const p of d.pools) if (!o.pools.some((x) => x.name === p.name)) await createPool(t, p);
  },
  delete: async () => {},
  gone: async () => true,
  ready: (o) => (o.reachable ? true : "waiting for the Prefect API"),
  outputs: (o) => ({ pools: o.pools.map((p) => p.name).join(",") }),
  status: (o) => (o.reachable ? `${o.pools.length} pools` : "API unreachable"),
});
