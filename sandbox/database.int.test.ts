// Rules 2 and 3 of the sandbox's rule table: RDS is a real PostgreSQL (logins, passwords, databases), and the
// Prefect server stand-in logs in with what ECS injects, exits like Prefect when it cannot, and keeps its work
// pools in that database across a server task replacement.
import { afterEach, describe, expect, it } from "vitest";
import { ProxyAgent, request } from "undici";
import { GetLogEventsCommand, DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import {
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  waitUntilDBInstanceAvailable,
} from "@aws-sdk/client-rds";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { adminConfig, sandboxAdmin, sandboxClients, sandboxEnv, uniq } from "@/test/fixtures/sandbox";
import { cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

const connect = (url: string) => sandboxAdmin("/rds/connect", "POST", { url }) as Promise<{ ok: boolean; error?: string }>;

describe("RDS is a real PostgreSQL", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();
  const sm = new SecretsManagerClient(adminConfig());
  const agent = new ProxyAgent(sandboxEnv("HTTP_PROXY"));

  async function database(password: string) {
    const id = uniq("prefect-db");
    await c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: "db.t3.micro",
        Engine: "postgres",
        AllocatedStorage: 20,
        DBName: "prefect",
        MasterUsername: "prefect",
        MasterUserPassword: password,
      }),
    );
    await waitUntilDBInstanceAvailable({ client: c.rds, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: id });
    const db = (await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
    const host = db?.Endpoint?.Address ?? "";
    const port = db?.Endpoint?.Port ?? 5432;
    return { id, host, port, url: (pw: string, name = "prefect") => `postgresql+asyncpg://prefect:${pw}@${host}:${port}/${name}` };
  }

  it("the master user logs in with its password only; ModifyDBInstance changes it; DeleteDBInstance drops it", async () => {
    const db = await database("first-Passw0rd");
    expect(await connect(db.url("first-Passw0rd"))).toEqual({ ok: true });
    expect(await connect(db.url("wrong-password"))).toEqual({
      ok: false,
      error: 'asyncpg.exceptions.InvalidPasswordError: password authentication failed for user "prefect"',
    });
    expect(await connect(db.url("first-Passw0rd", "nope"))).toEqual({
      ok: false,
      error: 'asyncpg.exceptions.InvalidCatalogNameError: database "nope" does not exist',
    });
    expect(await connect(db.url("first-Passw0rd").replace(db.host, `x${db.host}`))).toEqual({
      ok: false,
      error: "socket.gaierror: [Errno -2] Name or service not known",
    });

    await c.rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: db.id, MasterUserPassword: "second-Passw0rd", ApplyImmediately: true }),
    );
    expect((await connect(db.url("first-Passw0rd"))).ok).toBe(false);
    expect(await connect(db.url("second-Passw0rd"))).toEqual({ ok: true });

    await c.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: db.id, SkipFinalSnapshot: true }));
    const gone = await connect(db.url("second-Passw0rd"));
    expect(gone.ok).toBe(false);
  });

  it("two instances with the same master user name keep their own passwords", async () => {
    const a = await database("alpha-Passw0rd");
    const b = await database("bravo-Passw0rd");
    expect(await connect(a.url("alpha-Passw0rd"))).toEqual({ ok: true });
    expect(await connect(b.url("bravo-Passw0rd"))).toEqual({ ok: true });
    expect((await connect(b.url("alpha-Passw0rd"))).ok).toBe(false);
  });

  async function serverWithDatabaseUrl(url: string) {
    const secret = await sm.send(new CreateSecretCommand({ Name: uniq("prefect/database-url"), SecretString: url }));
    const s = await minimalStack(c, { serverSecrets: [{ name: "PREFECT_API_DATABASE_CONNECTION_URL", valueFrom: secret.ARN ?? "" }] });
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    return s;
  }

  it("a server with the wrong database password exits with asyncpg's error and trips the circuit breaker", async () => {
    const db = await database("right-Passw0rd");
    const s = await serverWithDatabaseUrl(db.url("wrong-Passw0rd"));
    const failed = await until(
      "deployment failed",
      async () => {
        const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
        const d = svc?.deployments?.[0];
        return d?.rolloutState === "FAILED" ? d : undefined;
      },
      60_000,
    );
    expect(failed.failedTasks).toBeGreaterThanOrEqual(1);
    const stream = (await c.logs.send(new DescribeLogStreamsCommand({ logGroupName: s.logGroup, logStreamNamePrefix: "server/" })))
      .logStreams?.[0]?.logStreamName;
    const lines = (await c.logs.send(new GetLogEventsCommand({ logGroupName: s.logGroup, logStreamName: stream ?? "" }))).events?.map(
      (e) => e.message,
    );
    expect(lines).toContain('asyncpg.exceptions.InvalidPasswordError: password authentication failed for user "prefect"');
    expect(lines).toContain("ERROR:    Application startup failed. Exiting.");
    const health = await request(`http://${s.dnsName}/api/health`, { dispatcher: agent });
    expect(health.statusCode).toBe(503);
    await health.body.text();
  });

  it("a server with the right URL serves; its work pools live in the database and survive a task replacement", async () => {
    const db = await database("right-Passw0rd");
    const s = await serverWithDatabaseUrl(db.url("right-Passw0rd"));
    const api = `http://${s.dnsName}/api`;
    const call = async (path: string, method = "GET", body?: unknown) => {
      const r = await request(`${api}${path}`, {
        dispatcher: agent,
        method: method as "GET",
        headers: { "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.statusCode, text: await r.body.text() };
    };
    await until("server healthy", async () => (await call("/health")).status === 200, 60_000);
    const pool = uniq("kept");
    expect((await call("/work_pools/", "POST", { name: pool, type: "ecs" })).status).toBe(201);
    expect((await call(`/work_pools/${pool}`, "PATCH", { description: "stays" })).status).toBe(204);

    const firstTask = ((await sandboxAdmin("/state")) as { tasks: { id: string; cluster: string; phase: string }[] }).tasks.find(
      (t) => t.cluster === s.cluster && t.phase === "RUNNING",
    )?.id;
    await c.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: "prefect-server", forceNewDeployment: true }));
    await until(
      "replacement serving",
      async () => {
        const tasks = ((await sandboxAdmin("/state")) as { tasks: { id: string; cluster: string; phase: string; desiredStatus: string }[] })
          .tasks;
        const live = tasks.filter((t) => t.cluster === s.cluster && t.desiredStatus === "RUNNING");
        return live.length === 1 && live[0]?.id !== firstTask && live[0]?.phase === "RUNNING" && (await call("/health")).status === 200;
      },
      60_000,
    );
    const kept = JSON.parse((await call(`/work_pools/${pool}`)).text) as { name: string; description: string };
    expect(kept).toMatchObject({ name: pool, description: "stays" });
  });
});
