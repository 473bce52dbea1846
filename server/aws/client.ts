import "server-only";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import type { Client, MetadataBearer } from "@smithy/types";
import { processSingleton } from "@/server/process-singleton";

// One factory for every AWS SDK v3 client the console uses.
// - region per call (stacks live in different regions), cached per (service, region);
// - credentials: the SDK's default chain (env, profile/SSO, ECS task role, IMDS) — never configured here;
// - endpoint: the SDK honours AWS_ENDPOINT_URL / AWS_ENDPOINT_URL_<SERVICE> by itself (the sandbox uses this);
//   with a custom endpoint, no host prefix (e.g. CloudWatch Logs' `stream-` for StartLiveTail): a local endpoint
//   has no such host names. On AWS (no AWS_ENDPOINT_URL) nothing changes;
// - retries: standard mode, 6 attempts: jittered exponential backoff on throttling and 5xx, per call.
//   Not "adaptive": its client-side rate limiter switches on at the first throttling error and never off again;
//   with a console's few calls a minute its measured rate stays near zero, the refill rate falls to its 0.5 token/s
//   floor and every later call waits ~2 s for a token — one overview's parallel calls then go out one by one until
//   the process restarts. (The provisioning executor backs off and bounds its own parallelism in server/stack/apply.ts.)
// - timeouts: a hung connection fails in seconds instead of hanging a page.
// - one client per (service, region) per process (process-singleton.ts): every bundle shares its sockets.
export const clientDefaults = {
  maxAttempts: 6,
  retryMode: "standard" as const,
  requestHandler: new NodeHttpHandler({ connectionTimeout: 3_000, requestTimeout: 20_000 }),
  disableHostPrefix: Boolean(process.env.AWS_ENDPOINT_URL),
};

/** Per-client exceptions to the defaults (e.g. one attempt for calls whose caller has its own fallback). */
export type ClientOverrides = Partial<Pick<typeof clientDefaults, "maxAttempts">>;

type AnyClient = Client<object, MetadataBearer, object>;
type Ctor<C> = new (cfg: { region: string } & typeof clientDefaults) => C;

const cache = processSingleton("aws-clients", () => new Map<string, unknown>());

// Counts calls per "Service.Operation" — used by tests and benchmarks to prove that call counts stay constant.
const counts = processSingleton("aws-call-counts", () => new Map<string, number>());
export function awsCallCounts(): Record<string, number> {
  return Object.fromEntries(counts);
}
export function resetAwsCallCounts(): void {
  counts.clear();
}
export function totalAwsCalls(filter?: (op: string) => boolean): number {
  let n = 0;
  for (const [op, c] of counts) if (!filter || filter(op)) n += c;
  return n;
}

export function awsClient<C extends AnyClient>(ctor: Ctor<C>, region: string, overrides: ClientOverrides = {}): C {
  const key = `${ctor.name}:${region}:${JSON.stringify(overrides)}`;
  let client = cache.get(key) as C | undefined;
  if (!client) {
    client = new ctor({ region, ...clientDefaults, ...overrides });
    const service = ctor.name.replace(/Client$/, "");
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const op = `${service}.${String((context as { commandName?: string }).commandName ?? "?").replace(/Command$/, "")}`;
        counts.set(op, (counts.get(op) ?? 0) + 1);
        return next(args);
      },
      { step: "initialize", name: "pecCallCounter" },
    );
    cache.set(key, client);
  }
  return client;
}
