import { afterEach, describe, expect, it } from "vitest";
import { ProxyAgent, request } from "undici";
import { CreateSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { adminConfig, sandboxClients, sandboxEnv, uniq } from "@/test/fixtures/sandbox";
import { cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

async function get(agent: ProxyAgent, url: string, init: { method?: string; body?: unknown; auth?: string } = {}) {
  const r = await request(url, {
    dispatcher: agent,
    method: (init.method ?? "GET") as "GET",
    headers: {
      "content-type": "application/json",
      ...(init.auth ? { authorization: `Basic ${Buffer.from(init.auth).toString("base64")}` } : {}),
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.body.text();
  return { status: r.statusCode, text, json: () => JSON.parse(text) as unknown };
}

describe("Prefect stand-in behind the ALB proxy", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();
  const agent = new ProxyAgent(sandboxEnv("HTTP_PROXY"));

  it("503 before targets are healthy, then Prefect answers; work pools round-trip; workers are the worker tasks", async () => {
    const pool = uniq("pool");
    const s = await minimalStack(c, { pool });
    const api = `http://${s.dnsName}/api`;

    // A new ALB's name resolves once the proxy's DNS view (refreshed every second) has it, as a new ALB's name on AWS
    // resolves only after a short while.
    const before = await until("the new ALB's name resolves", () => get(agent, `${api}/health`));
    expect(before.status).toBe(503);
    expect(before.text).toContain("503 Service Temporarily Unavailable");

    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    await s.createService("prefect-worker", s.workerTaskDef, 2);
    const health = await until("health true", async () => {
      const r = await get(agent, `${api}/health`);
      return r.status === 200 ? r : undefined;
    });
    expect(health.json()).toBe(true);
    expect((await get(agent, `${api}/ready`)).json()).toEqual({ message: "OK" });
    expect((await get(agent, `${api}/admin/version`)).json()).toBe("3.4.11");
    expect((await get(agent, `${api}/version`)).json()).toBe("0.8.4");

    const name = uniq("default");
    const created = await get(agent, `${api}/work_pools/`, { method: "POST", body: { name, type: "process" } });
    expect(created.status).toBe(201);
    expect(created.json()).toMatchObject({ name, type: "process", is_paused: false, status: "NOT_READY" });
    expect((await get(agent, `${api}/work_pools/`, { method: "POST", body: { name, type: "process" } })).status).toBe(409);
    expect((await get(agent, `${api}/work_pools/`, { method: "POST", body: { name: "prefect-internal", type: "process" } })).status).toBe(
      403,
    );
    expect((await get(agent, `${api}/work_pools/nope-${name}`)).status).toBe(404);
    const filtered = (
      await get(agent, `${api}/work_pools/filter`, { method: "POST", body: { work_pools: { name: { any_: [name] } } } })
    ).json() as { name: string }[];
    expect(filtered.map((p) => p.name)).toEqual([name]);
    expect(((await get(agent, `${api}/work_pools/${name}`)).json() as { name: string }).name).toBe(name);

    // The worker service's tasks run `prefect worker start --pool <pool>`: they are the pool's workers.
    const workers = await until("2 online workers", async () => {
      const r = await get(agent, `${api}/work_pools/${pool}/workers/filter`, { method: "POST", body: {} });
      const w = r.status === 200 ? (r.json() as { status: string; name: string; last_heartbeat_time: string }[]) : [];
      return w.length === 2 && w.every((x) => x.status === "ONLINE") ? w : undefined;
    });
    expect(workers[0]?.name).toMatch(/^ECSWorker /);
    expect(Date.parse(workers[0]?.last_heartbeat_time ?? "")).toBeGreaterThan(Date.now() - 60_000);
    expect(((await get(agent, `${api}/work_pools/${pool}`)).json() as { status: string }).status).toBe("READY");
    const count = (
      await get(agent, `${api}/flow_runs/count`, { method: "POST", body: { flow_runs: { state: { type: { any_: ["RUNNING"] } } } } })
    ).json();
    expect(typeof count).toBe("number");
  });

  it("requires basic auth when the server task definition has PREFECT_SERVER_API_AUTH_STRING", async () => {
    const sm = new SecretsManagerClient(adminConfig());
    const secret = await sm.send(new CreateSecretCommand({ Name: uniq("prefect/auth"), SecretString: "admin:s3cret" }));
    const s = await minimalStack(c, { authSecretArn: secret.ARN });
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    const api = `http://${s.dnsName}/api`;
    await until("healthy", async () => (await get(agent, `${api}/health`)).status === 200 || undefined);
    const anon = await get(agent, `${api}/work_pools/filter`, { method: "POST", body: {} });
    expect(anon.status).toBe(401);
    expect(anon.json()).toEqual({ exception_message: "Unauthorized" });
    expect((await get(agent, `${api}/work_pools/filter`, { method: "POST", body: {}, auth: "admin:wrong" })).status).toBe(401);
    expect((await get(agent, `${api}/work_pools/filter`, { method: "POST", body: {}, auth: "admin:s3cret" })).status).toBe(200);
  });

  it("plain absolute-form proxy requests work too (no CONNECT)", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    const plain = new ProxyAgent({ uri: sandboxEnv("HTTP_PROXY"), proxyTunnel: false });
    const r = await until("health via absolute-form", async () => {
      const x = await get(plain, `http://${s.dnsName}/api/health`);
      return x.status === 200 ? x : undefined;
    });
    expect(r.json()).toBe(true);
    expect((await get(plain, `http://unknown-${s.env}.elb.amazonaws.com/api/health`)).status).toBe(502);
  });
});
