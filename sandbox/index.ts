// The sandbox: moto + a fault/time proxy in front of it (the product's AWS endpoint) + the physics simulator +
// the ALB data plane with the Prefect stand-in + an admin endpoint. See sandbox/README.md.
import { startAdmin } from "./admin";
import { startAlbProxy } from "./alb-proxy";
import { startAwsProxy } from "./aws-proxy/server";
import { motoClients } from "./clients";
import { createConsoleIdentity } from "./console-identity";
import { startMoto } from "./moto";
import { SandboxDns } from "./dns";
import { startLocalPostgres } from "./postgres";
import { Simulator } from "./physics/simulator";
import { StackDirectory } from "./prefect/stacks";
import { EMPTY_SEED, seedAccount, type SeedResult } from "./seed";
import { makeAlbTls } from "./tls";
import { World } from "./world";

export interface SandboxOptions {
  /** AWS durations are divided by this (default 20: a 1-minute task start takes 3 s). */
  timeScale?: number;
  /** Simulator loop period in ms (default 1000). */
  tickMs?: number;
  /** Log lines per running task per real second (default 1). */
  logLinesPerTaskPerSec?: number;
  quiet?: boolean;
  /** Seed the account with a VPC, subnets and a certificate (default true). */
  seed?: boolean;
  /** PRNG seed for simulated values (default 42). */
  randomSeed?: number;
}

export interface SandboxHandle {
  /** The fault/time proxy in front of moto: the product's AWS_ENDPOINT_URL. */
  awsEndpoint: string;
  motoEndpoint: string;
  /** HTTP forward proxy playing the ALB data plane (the product's HTTP_PROXY). */
  albProxyUrl: string;
  adminUrl: string;
  region: string;
  seed: SeedResult;
  /** The account administrator's credentials (the seed's, the simulator's; sandbox tests use them too). */
  adminCredentials: { accessKeyId: string; secretAccessKey: string };
  /** The PostgreSQL cluster behind every RDS instance (127.0.0.1:port). */
  postgres: { host: string; port: number };
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<SandboxHandle> {
  const region = "us-east-1";
  const world = new World(
    {
      region,
      timeScale: opts.timeScale ?? 20,
      tickMs: opts.tickMs ?? 1000,
      logLinesPerTaskPerSec: opts.logLinesPerTaskPerSec ?? 1,
      quiet: opts.quiet ?? false,
    },
    opts.randomSeed ?? 42,
  );
  const cleanups: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    for (const fn of cleanups.reverse()) await fn().catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    // moto and PostgreSQL start side by side (≈ 1 s each).
    const [motoStarted, pgStarted] = await Promise.allSettled([startMoto({ quiet: world.config.quiet }), startLocalPostgres()]);
    if (pgStarted.status === "fulfilled") cleanups.push(() => pgStarted.value.stop());
    if (motoStarted.status === "rejected") throw motoStarted.reason;
    const moto = motoStarted.value;
    cleanups.push(() => moto.stop());
    if (pgStarted.status === "rejected") throw pgStarted.reason;
    const postgres = pgStarted.value;
    const clients = motoClients(moto.endpoint, region);
    cleanups.push(async () => clients.destroy());

    const seed: SeedResult = opts.seed === false ? EMPTY_SEED : await seedAccount(clients.ec2, clients.acm, clients.route53, region);

    // The console acts as an IAM user holding exactly docs/iam-policy.json; the seed and the simulator stay admin.
    const consoleUser = await createConsoleIdentity(moto.endpoint, region);
    const principals = new Map([[consoleUser.accessKeyId, consoleUser]]);

    const dns = new SandboxDns(world, clients);
    const sim = new Simulator(world, clients, postgres, dns);
    const proxy = await startAwsProxy({ world, moto: clients, sim, postgres, principals }, moto.endpoint);
    cleanups.push(() => proxy.close());
    const stacks = new StackDirectory(world, clients, sim.databases);
    const albTls = makeAlbTls();
    if (albTls) cleanups.push(async () => albTls.dispose());
    const alb = await startAlbProxy(world, stacks, dns, albTls);
    cleanups.push(() => alb.close());
    const admin = await startAdmin(world, proxy, sim.databases);
    cleanups.push(() => admin.close());
    sim.start();
    cleanups.push(() => sim.stop());

    const env: Record<string, string> = {
      AWS_ENDPOINT_URL: proxy.url,
      // The console's IAM user (docs/iam-policy.json): a call that policy does not allow is AccessDenied, as on AWS.
      AWS_ACCESS_KEY_ID: consoleUser.accessKeyId,
      AWS_SECRET_ACCESS_KEY: consoleUser.secretAccessKey,
      AWS_REGION: region,
      HTTP_PROXY: alb.url,
      NO_PROXY: "localhost,127.0.0.1,::1",
      // https://<alb-dns-name> through the proxy (undici falls back to HTTP_PROXY for https) is served with a
      // certificate from this throwaway CA.
      ...(albTls ? { NODE_EXTRA_CA_CERTS: albTls.caPath } : {}),
    };
    world.log(`ready: aws ${proxy.url} · moto ${moto.endpoint} · alb proxy ${alb.url} · admin ${admin.url}`);
    return {
      awsEndpoint: proxy.url,
      motoEndpoint: moto.endpoint,
      albProxyUrl: alb.url,
      adminUrl: admin.url,
      region,
      seed,
      adminCredentials: { accessKeyId: "test", secretAccessKey: "test" },
      postgres: { host: postgres.host, port: postgres.port },
      env,
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}
