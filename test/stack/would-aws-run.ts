// "Would AWS run this?" — an independent judge of a stack the console built, read back from the account with the
// SDK as the account's administrator. It reuses none of the product's builders: it reads what AWS holds and checks
// the rules in ../shared/design/AWS-RULES.md that decide whether the stack runs:
//   secrets by ARN and readable by the execution role · egress of every task subnet · the worker's path to the API ·
//   TLS names · the ECS work pool's base job template · scoped roles · pinned images.
// Each problem is one line; an empty list means AWS would run it.
import { DescribeCertificateCommand, ACMClient } from "@aws-sdk/client-acm";
import {
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  EC2Client,
} from "@aws-sdk/client-ec2";
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, type TaskDefinition } from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetRolePolicyCommand, IAMClient, ListRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DescribeSecretCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ListNamespacesCommand, ListServicesCommand, ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { EnvHttpProxyAgent, request } from "undici";

type Statement = { Effect?: string; Action?: string | string[]; Resource?: string | string[]; Condition?: Record<string, unknown> };

function adminConfig(region: string) {
  const id = process.env.SANDBOX_ADMIN_ACCESS_KEY_ID;
  const secret = process.env.SANDBOX_ADMIN_SECRET_ACCESS_KEY;
  return { region, ...(id && secret ? { credentials: { accessKeyId: id, secretAccessKey: secret } } : {}) };
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);
const glob = (pattern: string, value: string) =>
  new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  ).test(value);

/** Whether the inline policies allow `action` on `resource` (Allow without Deny; conditions are not evaluated). */
function allows(statements: Statement[], action: string, resource: string): boolean {
  const hit = (s: Statement) => list(s.Action).some((a) => glob(a, action)) && list(s.Resource).some((r) => glob(r, resource));
  return statements.some((s) => s.Effect === "Allow" && hit(s)) && !statements.some((s) => s.Effect === "Deny" && hit(s));
}

async function inlineStatements(iam: IAMClient, roleArn: string): Promise<Statement[]> {
  const RoleName = roleArn.split("/").pop() ?? "";
  const names = (await iam.send(new ListRolePoliciesCommand({ RoleName }))).PolicyNames ?? [];
  const docs = await Promise.all(names.map((PolicyName) => iam.send(new GetRolePolicyCommand({ RoleName, PolicyName }))));
  return docs.flatMap((d) =>
    list((JSON.parse(decodeURIComponent(d.PolicyDocument ?? "{}")) as { Statement?: Statement | Statement[] }).Statement),
  );
}

export interface WouldAwsRunOptions {
  env: string;
  region: string;
  /** The worker's pool (checked through the Prefect API when the pool is of type ecs). */
  pool?: { name: string; type: string };
}

export async function wouldAwsRun(opts: WouldAwsRunOptions): Promise<string[]> {
  const { env, region } = opts;
  const cfg = adminConfig(region);
  const ecs = new ECSClient(cfg);
  const ec2 = new EC2Client(cfg);
  const iam = new IAMClient(cfg);
  const sm = new SecretsManagerClient(cfg);
  const elb = new ElasticLoadBalancingV2Client(cfg);
  const problems: string[] = [];
  const cluster = `prefect-${env}`;

  const services =
    (await ecs.send(new DescribeServicesCommand({ cluster, services: ["prefect-server", "prefect-worker"] }))).services ?? [];
  const server = services.find((s) => s.serviceName === "prefect-server");
  const worker = services.find((s) => s.serviceName === "prefect-worker");
  if (!server || !worker) return [`services missing in ${cluster}`];
  const td = async (arn: string | undefined): Promise<TaskDefinition> =>
    (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn }))).taskDefinition ?? {};
  const [serverTd, workerTd] = await Promise.all([td(server.taskDefinition), td(worker.taskDefinition)]);

  // 1. Secrets by ARN, readable by the execution role.
  for (const t of [serverTd, workerTd]) {
    const statements = t.executionRoleArn ? await inlineStatements(iam, t.executionRoleArn) : [];
    for (const c of t.containerDefinitions ?? [])
      for (const s of c.secrets ?? []) {
        const from = s.valueFrom ?? "";
        if (!/^arn:aws[\w-]*:secretsmanager:/.test(from)) {
          problems.push(`${t.family} ${s.name}: valueFrom "${from}" is not a Secrets Manager ARN (ECS would read it as an SSM parameter)`);
          continue;
        }
        const secretArn = from.split(":").slice(0, 7).join(":");
        const exists = await sm.send(new DescribeSecretCommand({ SecretId: secretArn })).then(
          () => true,
          () => false,
        );
        if (!exists) problems.push(`${t.family} ${s.name}: secret ${secretArn} does not exist`);
        if (!allows(statements, "secretsmanager:GetSecretValue", secretArn))
          problems.push(`${t.family} ${s.name}: the execution role may not read ${secretArn}`);
      }
  }

  // 2. Egress of every subnet the services' tasks run in.
  const tables = (await ec2.send(new DescribeRouteTablesCommand({}))).RouteTables ?? [];
  const nats = (await ec2.send(new DescribeNatGatewaysCommand({}))).NatGateways ?? [];
  for (const svc of [server, worker]) {
    const net = svc.networkConfiguration?.awsvpcConfiguration;
    const subnets = (await ec2.send(new DescribeSubnetsCommand({ SubnetIds: net?.subnets ?? [] }))).Subnets ?? [];
    for (const subnet of net?.subnets ?? []) {
      const vpc = subnets.find((x) => x.SubnetId === subnet)?.VpcId;
      const table =
        tables.find((t) => t.Associations?.some((a) => a.SubnetId === subnet)) ??
        tables.find((t) => t.VpcId === vpc && t.Associations?.some((a) => a.Main));
      const route = table?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.State !== "blackhole");
      const viaNat = route?.NatGatewayId && nats.some((n) => n.NatGatewayId === route.NatGatewayId && n.State === "available");
      const viaIgw = (route?.GatewayId ?? "").startsWith("igw-") && net?.assignPublicIp === "ENABLED";
      if (!viaNat && !viaIgw) problems.push(`${svc.serviceName}: subnet ${subnet} has no way out (no NAT route, no public IP)`);
    }
  }

  // 3. The worker's path to the API.
  const workerEnv = Object.fromEntries((workerTd.containerDefinitions?.[0]?.environment ?? []).map((e) => [e.name, e.value]));
  const apiUrl = new URL(workerEnv.PREFECT_API_URL ?? "http://missing");
  const tasksSgs = server.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
  const workerSgs = worker.networkConfiguration?.awsvpcConfiguration?.securityGroups ?? [];
  if (apiUrl.hostname.endsWith(".local")) {
    const sd = new ServiceDiscoveryClient(cfg);
    const [svcName, ...rest] = apiUrl.hostname.split(".");
    const nsName = rest.join(".");
    const ns = ((await sd.send(new ListNamespacesCommand({}))).Namespaces ?? []).find((n) => n.Name === nsName);
    const inNamespace = ns?.Id
      ? ((await sd.send(new ListServicesCommand({ Filters: [{ Name: "NAMESPACE_ID", Values: [ns.Id], Condition: "EQ" }] }))).Services ?? [])
      : [];
    const sdService = inNamespace.find((s) => s.Name === svcName);
    if (!ns) problems.push(`worker: Cloud Map namespace ${nsName} does not exist`);
    else if (!sdService) problems.push(`worker: Cloud Map service ${svcName} does not exist in ${nsName}`);
    else if (!server.serviceRegistries?.some((r) => r.registryArn === sdService.Arn))
      problems.push(`server: its tasks are not registered in ${svcName}.${nsName}`);
    const sgs = (await ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: tasksSgs }))).SecurityGroups ?? [];
    const port = Number(apiUrl.port || 80);
    const admits = sgs.some((g) =>
      (g.IpPermissions ?? []).some(
        (p) =>
          (p.FromPort ?? 0) <= port &&
          port <= (p.ToPort ?? 0) &&
          (p.UserIdGroupPairs ?? []).some((u) => workerSgs.includes(u.GroupId ?? "") || u.GroupId === g.GroupId),
      ),
    );
    if (!admits) problems.push(`worker: the server's security group does not admit the worker on ${port}`);
  } else problems.push(`worker: PREFECT_API_URL ${apiUrl.href} does not stay inside the VPC (expected a Cloud Map name)`);

  // 4. TLS names: an HTTPS listener's certificate is ISSUED and covers the host people use.
  const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [`prefect-${env}`] }))).LoadBalancers?.[0];
  const listeners = lb ? ((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? []) : [];
  const uiUrl = new URL(
    (serverTd.containerDefinitions?.[0]?.environment ?? []).find((e) => e.name === "PREFECT_UI_API_URL")?.value ?? "http://missing",
  );
  const https = listeners.find((l) => l.Protocol === "HTTPS");
  if (https) {
    if (uiUrl.protocol !== "https:") problems.push(`server: PREFECT_UI_API_URL ${uiUrl.href} is not https though the ALB serves HTTPS`);
    if (/\.amazonaws\.com$/.test(uiUrl.hostname)) problems.push(`TLS: ${uiUrl.hostname} can never match an ACM certificate`);
    const acm = new ACMClient(cfg);
    for (const c of https.Certificates ?? []) {
      const cert = (await acm.send(new DescribeCertificateCommand({ CertificateArn: c.CertificateArn }))).Certificate;
      const names = [cert?.DomainName ?? "", ...(cert?.SubjectAlternativeNames ?? [])];
      const covers = names.some((n) =>
        n.startsWith("*.") ? uiUrl.hostname.split(".").slice(1).join(".") === n.slice(2) : n === uiUrl.hostname,
      );
      if (cert?.Status !== "ISSUED") problems.push(`TLS: certificate ${c.CertificateArn} is ${cert?.Status}`);
      if (!covers) problems.push(`TLS: the certificate (${names.join(", ")}) does not cover ${uiUrl.hostname}`);
    }
  }

  // 5. Scoped roles: the worker may run tasks only in this cluster and pass no role but named ones.
  if (workerTd.taskRoleArn) {
    const statements = await inlineStatements(iam, workerTd.taskRoleArn);
    for (const s of statements.filter((x) => x.Effect === "Allow")) {
      if (list(s.Action).some((a) => glob(a, "ecs:RunTask")) && !JSON.stringify(s.Condition ?? {}).includes(`cluster/${cluster}`))
        problems.push("worker role: ecs:RunTask is not limited to the stack's cluster");
      if (list(s.Action).some((a) => glob(a, "iam:PassRole")) && list(s.Resource).some((r) => r === "*"))
        problems.push("worker role: iam:PassRole on every role");
    }
    if (workerTd.taskRoleArn === serverTd.taskRoleArn) problems.push("the worker and the server share a task role");
  }

  // 6. Pinned images and packages: no floating tags.
  for (const t of [serverTd, workerTd])
    for (const c of t.containerDefinitions ?? []) {
      const tag = (c.image ?? "").split("@")[0]?.split("/").pop()?.split(":")[1];
      if (!tag || /latest$/.test(tag) || /^\d+$/.test(tag)) problems.push(`${t.family}: image ${c.image} is not pinned to a release`);
      const pip = (c.environment ?? []).find((e) => e.name === "EXTRA_PIP_PACKAGES")?.value;
      for (const p of (pip ?? "").split(/\s+/).filter(Boolean))
        if (!p.includes("==")) problems.push(`${t.family}: package ${p} is not pinned`);
    }

  // 7. The ECS work pool's base job template sends flow runs into this stack. Read through the load balancer, so only
  //    where it answers from outside the VPC (an internal ALB never does).
  if (opts.pool?.type === "ecs" && lb?.DNSName && lb.Scheme === "internet-facing") {
    const base = `${uiUrl.protocol}//${uiUrl.host}/api`;
    const res = await request(`${base}/work_pools/${opts.pool.name}`, { dispatcher: new EnvHttpProxyAgent() }).catch(() => undefined);
    if (!res || res.statusCode !== 200) problems.push(`pool ${opts.pool.name}: not readable through ${base}`);
    else {
      const pool = (await res.body.json()) as {
        base_job_template?: { variables?: { properties?: Record<string, { default?: unknown }> } };
      };
      const d = (k: string) => pool.base_job_template?.variables?.properties?.[k]?.default;
      const netCfg = d("network_configuration") as { subnets?: string[]; assignPublicIp?: string } | undefined;
      if (d("cluster") !== cluster)
        problems.push(`pool ${opts.pool.name}: flow runs go to cluster ${String(d("cluster"))}, not ${cluster}`);
      if (
        !netCfg?.subnets?.length ||
        netCfg.subnets.some((s) => !(server.networkConfiguration?.awsvpcConfiguration?.subnets ?? []).includes(s))
      )
        problems.push(`pool ${opts.pool.name}: flow runs are not placed in the stack's private subnets`);
      if (netCfg?.assignPublicIp !== "DISABLED") problems.push(`pool ${opts.pool.name}: flow runs would get a public IP`);
      const flowExec = String(d("execution_role_arn") ?? "");
      if (!flowExec || flowExec === serverTd.executionRoleArn)
        problems.push(`pool ${opts.pool.name}: flow runs use the server's execution role`);
    }
  }
  return problems;
}
