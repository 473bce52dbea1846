import "server-only";
import { EnvHttpProxyAgent, fetch } from "undici";
import { stackSecretNames, stackUrls } from "@/lib/stack-names";
import { findLoadBalancer } from "@/server/aws/elbv2";
import { getSecretValue } from "@/server/aws/secrets";
import { PrefectError, prefectSetBaseJobTemplate, prefectWorkPools, type PrefectTarget } from "@/server/prefect/client";
import { defineResource, ref, RetryableError, TerminalError, UNKNOWN, type StackContext } from "../types";
import { lastPoolTask, poolsFingerprint, runPoolTask, type InVpcRefs, type PoolTaskResult } from "./pool-task";

/** Why pools may be created by a task: the console sits outside the VPC (an internal ALB) — not a failure. */
const IN_VPC_NOTE =
  "The console cannot reach the Prefect API (e.g. an internal load balancer and the console outside the VPC): the work pools are created from inside the VPC by a one-off ECS task.";
import { ecsBaseJobTemplate, templateDefaults } from "./work-pool-template";

// The seed's last step (`prefect work-pool create default --type process` and `production --type ecs`), done
// through the Prefect REST API once the server answers through the load balancer:
//   curl -X POST $PREFECT_API_URL/work_pools/ -d '{"name":"production","type":"ecs"}'
// An `ecs` pool is created with a base job template whose defaults target this stack (work-pool-template.ts), and
// the template is updated when the spec changes it (PATCH). Pools live in Prefect's database, so destroying the
// stack removes them with it (delete is a no-op).

interface PoolWanted {
  name: string;
  type: string;
  template?: ReturnType<typeof ecsBaseJobTemplate>;
}
interface PoolsDesired {
  pools: PoolWanted[];
  /** What a one-off task needs to create the pools from inside the VPC (pool-task.ts). */
  inVpc: InVpcRefs;
}
interface PoolsObserved {
  /** Whether the console reached the Prefect API (through the load balancer or the stack's domain). */
  reachable: boolean;
  pools: { name: string; type: string; template?: Record<string, unknown> }[];
  /** When it did not: the last one-off pool task ECS still lists. */
  lastTask?: PoolTaskResult;
}

const unreachable = (err: unknown) => err instanceof PrefectError && (err.kind === "unreachable" || err.kind === "timeout");

/** Create the pools from inside the VPC; the step's detail says so. */
async function inVpc(ctx: StackContext, d: PoolsDesired): Promise<void> {
  await runPoolTask(ctx, d.pools, d.inVpc);
}

/** Which defaults of a pool's template differ from the wanted ones (names only; ARNs and ids are not secrets). */
function templateChanges(want: PoolWanted, have: PoolsObserved["pools"][number] | undefined): string[] {
  if (!want.template || !have || have.type !== want.type) return [];
  const w = templateDefaults(want.template);
  const h = templateDefaults(have.template);
  return Object.keys(w).filter((k) => !w[k]?.includes(UNKNOWN) && w[k] !== h[k]);
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

async function createPool(t: PrefectTarget, pool: PoolWanted): Promise<void> {
  const headers: Record<string, string> = { "content-type": "application/json", accept: "application/json" };
  if (t.authString) headers.authorization = `Basic ${Buffer.from(t.authString).toString("base64")}`;
  let res: Awaited<ReturnType<typeof fetch>>;
  try {
    res = await fetch(`${t.apiUrl}/work_pools/`, {
      method: "POST",
      headers,
      body: JSON.stringify({ name: pool.name, type: pool.type, ...(pool.template ? { base_job_template: pool.template } : {}) }),
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
  dependsOn: [
    "service-server",
    "listeners",
    "cluster",
    "sg-tasks",
    "role-flow-execution",
    "role-flow-task",
    "secret-api-auth",
    "dns-record",
    "role-execution",
    "role-task",
  ],
  name: (ctx) => `default, ${ctx.spec.workerPoolName}`,
  desired: (ctx, refs) => ({
    pools: [
      { name: "default", type: "process" },
      {
        name: ctx.spec.workerPoolName,
        type: ctx.spec.workerPoolType,
        ...(ctx.spec.workerPoolType === "ecs" ? { template: ecsBaseJobTemplate(ctx, refs) } : {}),
      },
    ],
    inVpc: {
      executionRoleArn: ref(refs, "role-execution", "arn"),
      taskRoleArn: ref(refs, "role-task", "arn"),
      securityGroupId: ref(refs, "sg-tasks", "groupId"),
      ...(ctx.spec.basicAuth ? { authSecretArn: ref(refs, "secret-api-auth", "arn") } : {}),
    },
  }),
  observe: async (ctx) => {
    const t = await target(ctx);
    if (!t) return undefined;
    try {
      const pools = await prefectWorkPools({ ...t, timeoutMs: 4_000 });
      return { reachable: true, pools: pools.map((p) => ({ name: p.name, type: p.type, template: p.base_job_template })) };
    } catch (err) {
      // Seconds, not minutes: a 3 s connect timeout, then the answer is "create them from inside the VPC".
      if (unreachable(err)) return { reachable: false, pools: [], lastTask: await lastPoolTask(ctx) };
      if (err instanceof PrefectError) return { reachable: false, pools: [] };
      throw err;
    }
  },
  diff: (d, o) => {
    if (!o.reachable) {
      const done = o.lastTask?.succeeded && o.lastTask.fingerprint === poolsFingerprint(d.pools);
      return done
        ? { action: "noop", changes: [], notes: [`${IN_VPC_NOTE} Last applied by one-off task ${o.lastTask?.taskId}.`] }
        : {
            action: "update",
            changes: [{ field: "work pools", to: "create or update from inside the VPC (one-off ECS task with the Prefect CLI)" }],
            notes: [IN_VPC_NOTE],
          };
    }
    const missing = d.pools.filter((p) => !o.pools.some((x) => x.name === p.name));
    const wrongType = d.pools.filter((p) => o.pools.some((x) => x.name === p.name && x.type !== p.type));
    const templates = d.pools
      .map((p) => ({
        p,
        fields: templateChanges(
          p,
          o.pools.find((x) => x.name === p.name),
        ),
      }))
      .filter((x) => x.fields.length);
    return {
      action: missing.length || templates.length ? "update" : "noop",
      changes: [
        ...missing.map((p) => ({ field: `pool ${p.name}`, to: `create (${p.type}${p.template ? ", flow runs in this stack" : ""})` })),
        ...templates.map(({ p, fields }) => ({ field: `pool ${p.name} job template`, to: `set ${fields.join(", ")}` })),
      ],
      ...(wrongType.length
        ? { notes: wrongType.map((p) => `Work pool ${p.name} exists with another type; the console leaves it as it is.`) }
        : {}),
    };
  },
  create: async (ctx, d) => {
    const t = await target(ctx);
    if (!t) throw new RetryableError("The load balancer has no DNS name yet");
    const reached = await prefectWorkPools({ ...t, timeoutMs: 4_000 }).then(
      () => true,
      (err: unknown) => (unreachable(err) ? false : Promise.reject(err)),
    );
    if (!reached) return inVpc(ctx, d);
    for (const p of d.pools) await createPool(t, p);
  },
  update: async (ctx, d, o) => {
    if (!o.reachable) return inVpc(ctx, d);
    const t = await target(ctx);
    if (!t) throw new RetryableError("The load balancer has no DNS name yet");
    for (const p of d.pools) {
      const have = o.pools.find((x) => x.name === p.name);
      if (!have) await createPool(t, p);
      else if (p.template && templateChanges(p, have).length) await prefectSetBaseJobTemplate(t, p.name, p.template);
    }
  },
  delete: async () => {},
  gone: async () => true,
  ready: (o) => (o.reachable || o.lastTask?.succeeded ? true : "waiting for the work pools to be created from inside the VPC"),
  outputs: (o) => ({
    pools: o.pools.map((p) => p.name).join(","),
    summary: o.reachable ? "created through the Prefect API" : `created from inside the VPC by one-off task ${o.lastTask?.taskId ?? "?"}`,
  }),
  status: (o) =>
    o.reachable ? `${o.pools.length} pools (through the API)` : `from inside the VPC (task ${o.lastTask?.taskId ?? "none yet"})`,
});
