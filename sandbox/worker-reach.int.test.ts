// Issue 10 item 4: a worker is ONLINE only if its PREFECT_API_URL is reachable from its ENI (sandbox/README.md,
// rule table). The console side reads the pool's workers through the public ALB, as the product does.
import { afterEach, describe, expect, it } from "vitest";
import { ProxyAgent, request } from "undici";
import { AuthorizeSecurityGroupIngressCommand, CreateSecurityGroupCommand, RevokeSecurityGroupIngressCommand } from "@aws-sdk/client-ec2";
import { DescribeTasksCommand, ListTasksCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { CreateListenerCommand, CreateLoadBalancerCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand as CreateCloudMapServiceCommand,
  ListInstancesCommand,
  ListNamespacesCommand,
  ServiceDiscoveryClient,
} from "@aws-sdk/client-servicediscovery";
import { adminConfig, sandboxClients, sandboxEnv, uniq } from "@/test/fixtures/sandbox";
import { type MinimalStack, cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

const c = sandboxClients();
const sd = new ServiceDiscoveryClient(adminConfig());
const agent = new ProxyAgent(sandboxEnv("HTTP_PROXY"));

async function api(s: MinimalStack, path: string, body?: unknown) {
  const r = await request(`http://${s.dnsName}/api${path}`, {
    dispatcher: agent,
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.body.text();
  return { status: r.statusCode, json: () => JSON.parse(text) as unknown };
}

/** A stack with its server up behind the public ALB and the pool created. */
async function serverUp(s: MinimalStack, pool: string, registryArn?: string) {
  await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true, registryArn });
  await until("server healthy", async () => (await api(s, "/health")).status === 200);
  expect((await api(s, "/work_pools/", { name: pool, type: "ecs" })).status).toBe(201);
}

const onlineWorkers = async (s: MinimalStack, pool: string) =>
  ((await api(s, `/work_pools/${pool}/workers/filter`, {})).json() as { status: string }[]).filter((w) => w.status === "ONLINE").length;
const poolStatus = async (s: MinimalStack, pool: string) => ((await api(s, `/work_pools/${pool}`)).json() as { status: string }).status;

/** The worker's log says why, at every heartbeat. */
async function workerLogSays(s: MinimalStack, pattern: RegExp) {
  return until(`worker log ${pattern}`, async () => {
    const r = await c.logs.send(new FilterLogEventsCommand({ logGroupName: s.logGroup, interleaved: true }));
    return (r.events ?? []).filter((e) => e.logStreamName?.startsWith("worker/") && pattern.test(e.message ?? "")).length >= 2;
  });
}

/** Give the worker several heartbeats (30 s each, scaled) and check it never became ONLINE. */
async function staysOffline(s: MinimalStack, pool: string) {
  await new Promise((r) => setTimeout(r, (4 * 30_000) / Number(sandboxEnv("SANDBOX_TIME_SCALE")) + 1000));
  expect(await onlineWorkers(s, pool)).toBe(0);
  expect(await poolStatus(s, pool)).toBe("NOT_READY");
}

const allow = (groupId: string, port: number, from: { group?: string; cidr?: string }) =>
  c.ec2.send(
    new AuthorizeSecurityGroupIngressCommand({
      GroupId: groupId,
      IpPermissions: [
        {
          IpProtocol: "tcp",
          FromPort: port,
          ToPort: port,
          UserIdGroupPairs: from.group ? [{ GroupId: from.group }] : undefined,
          IpRanges: from.cidr ? [{ CidrIp: from.cidr }] : undefined,
        },
      ],
    }),
  );

describe("worker reachability", () => {
  afterEach(cleanupStacks);

  it("Cloud Map: the server's tasks are registered; the worker is OFFLINE until the tasks' group admits 4200 from itself", async () => {
    const pool = uniq("pool");
    const s = await minimalStack(c, { pool });
    const nsName = `prefect-${s.env}.local`;
    await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: nsName, Vpc: sandboxEnv("SANDBOX_VPC_ID") }));
    const ns = (await sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === nsName);
    const cm = await sd.send(
      new CreateCloudMapServiceCommand({
        Name: "prefect-server",
        NamespaceId: ns?.Id,
        DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }] },
      }),
    );
    await serverUp(s, pool, cm.Service?.Arn);

    // As ECS does: the running server task's IP is an instance of the Cloud Map service.
    const serverTask = (await c.ecs.send(new ListTasksCommand({ cluster: s.cluster, serviceName: "prefect-server" }))).taskArns ?? [];
    const described = (await c.ecs.send(new DescribeTasksCommand({ cluster: s.cluster, tasks: serverTask }))).tasks?.[0];
    const ip = described?.attachments?.[0]?.details?.find((d) => d.name === "privateIPv4Address")?.value;
    const instances = await until("instance registered", async () => {
      const r = await sd.send(new ListInstancesCommand({ ServiceId: cm.Service?.Id }));
      return r.Instances?.length ? r.Instances : undefined;
    });
    expect(instances.map((i) => i.Attributes?.AWS_INSTANCE_IPV4)).toEqual([ip]);

    const url = `http://prefect-server.${nsName}:4200/api`;
    await s.createService("prefect-worker", await s.registerWorker(url), 1);
    await workerLogSays(s, new RegExp(`Failed to reach the Prefect API at ${url.replace(/\./g, "\\.")}: httpx\\.ConnectTimeout`));
    await staysOffline(s, pool);

    await allow(s.securityGroup, 4200, { group: s.securityGroup });
    await until("worker ONLINE", async () => (await onlineWorkers(s, pool)) === 1);
    expect(await poolStatus(s, pool)).toBe("READY");

    // The server task stops: ECS deregisters it, the name no longer resolves to anything.
    await c.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: "prefect-server", desiredCount: 0 }));
    await until(
      "instance deregistered",
      async () => ((await sd.send(new ListInstancesCommand({ ServiceId: cm.Service?.Id }))).Instances ?? []).length === 0,
    );
  });

  it("a Cloud Map name does not resolve from another VPC's namespace", async () => {
    const pool = uniq("pool");
    const s = await minimalStack(c, { pool });
    const nsName = `prefect-${s.env}.local`;
    // The namespace lives in the no-NAT VPC: the worker in the main VPC cannot resolve its names.
    await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: nsName, Vpc: sandboxEnv("SANDBOX_NONAT_VPC_ID") }));
    const ns = (await sd.send(new ListNamespacesCommand({}))).Namespaces?.find((n) => n.Name === nsName);
    const cm = await sd.send(
      new CreateCloudMapServiceCommand({
        Name: "prefect-server",
        NamespaceId: ns?.Id,
        DnsConfig: { DnsRecords: [{ Type: "A", TTL: 10 }] },
      }),
    );
    await allow(s.securityGroup, 4200, { group: s.securityGroup });
    await serverUp(s, pool, cm.Service?.Arn);
    await s.createService("prefect-worker", await s.registerWorker(`http://prefect-server.${nsName}:4200/api`), 1);
    await workerLogSays(s, /httpx\.ConnectError: \[Errno -2\] Name or service not known/);
    await staysOffline(s, pool);
  });

  it("internet-facing ALB by its public name: the worker arrives from the NAT's Elastic IP, which the ALB's group must admit", async () => {
    const pool = uniq("pool");
    const s = await minimalStack(c, { pool });
    // The ALB admits the VPC's CIDR and the tasks' group only: neither matches traffic arriving through the NAT.
    await c.ec2.send(
      new RevokeSecurityGroupIngressCommand({
        GroupId: s.albSecurityGroup,
        IpPermissions: [{ IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "0.0.0.0/0" }] }],
      }),
    );
    await allow(s.albSecurityGroup, 80, { cidr: "10.0.0.0/16" });
    await allow(s.albSecurityGroup, 80, { group: s.securityGroup });
    await serverUp(s, pool);
    await s.createService("prefect-worker", s.workerTaskDef, 1);
    await workerLogSays(s, /httpx\.ConnectTimeout/);
    await staysOffline(s, pool);

    await allow(s.albSecurityGroup, 80, { cidr: `${sandboxEnv("SANDBOX_NAT_PUBLIC_IP")}/32` });
    await until("worker ONLINE", async () => (await onlineWorkers(s, pool)) === 1);
  });

  it("internal ALB: its group must admit the tasks' group on the listener port", async () => {
    const pool = uniq("pool");
    const s = await minimalStack(c, { pool });
    const sg = await c.ec2.send(
      new CreateSecurityGroupCommand({ GroupName: uniq("internal-alb"), Description: "alb", VpcId: sandboxEnv("SANDBOX_VPC_ID") }),
    );
    const lb = await c.elb.send(
      new CreateLoadBalancerCommand({
        Name: uniq("prefect-int"),
        Subnets: s.subnets,
        SecurityGroups: [sg.GroupId ?? ""],
        Scheme: "internal",
        Type: "application",
      }),
    );
    await c.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: lb.LoadBalancers?.[0]?.LoadBalancerArn,
        Port: 80,
        Protocol: "HTTP",
        DefaultActions: [{ Type: "forward", TargetGroupArn: s.targetGroupArn }],
      }),
    );
    await serverUp(s, pool);
    await s.createService("prefect-worker", await s.registerWorker(`http://${lb.LoadBalancers?.[0]?.DNSName}/api`), 1);
    await workerLogSays(s, /httpx\.ConnectTimeout/);
    await staysOffline(s, pool);

    await allow(sg.GroupId ?? "", 80, { group: s.securityGroup });
    await until("worker ONLINE", async () => (await onlineWorkers(s, pool)) === 1);

    // The console sits outside the VPC: the internal ALB's private addresses never answer it (connect timeout).
    const internalDns = lb.LoadBalancers?.[0]?.DNSName ?? "";
    await expect(request(`http://${internalDns}/api/health`, { dispatcher: agent })).rejects.toThrow(/504/);
    const plain = await request(`http://${internalDns}/api/health`, {
      dispatcher: new ProxyAgent({ uri: sandboxEnv("HTTP_PROXY"), proxyTunnel: false }),
    });
    expect(plain.statusCode).toBe(504);
    expect(await plain.body.text()).toMatch(/connect ETIMEDOUT/);
  });
});
