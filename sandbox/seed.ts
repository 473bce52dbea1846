// Seeds a realistic account into moto (issue 2 item 3, issue 10 items 1 and 5):
// - `prefect-sandbox-vpc`: what a production VPC has: 2 public subnets routed to an internet gateway, 2 private
//   subnets routed to a NAT gateway (Elastic IP, in public-a), us-east-1a/b, DNS hostnames;
// - `prefect-sandbox-isolated`: private subnets only, no internet gateway, no NAT (tests of the failure path);
// - `prefect-sandbox-nonat`: public subnets with an internet gateway, private subnets WITHOUT a NAT route (the topology
//   where a stack creates its own NAT gateway);
// - ACM certificates (ISSUED) for `prefect.sandbox.example.com` and `*.sandbox.example.com`, and a Route 53 public
//   hosted zone `sandbox.example.com`.
// Idempotent: every resource is looked up by its Name tag (or domain, or subnet) first.
import {
  AllocateAddressCommand,
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
  type Tag,
} from "@aws-sdk/client-ec2";
import { ListCertificatesCommand, RequestCertificateCommand, type ACMClient } from "@aws-sdk/client-acm";
import { CreateHostedZoneCommand, ListHostedZonesByNameCommand, type Route53Client } from "@aws-sdk/client-route-53";

export interface SeedNetwork {
  vpcId: string;
  publicSubnetIds: string[];
  privateSubnetIds: string[];
}

export interface SeedResult extends SeedNetwork {
  /** The main VPC's NAT gateway (in public-a) and its Elastic IP: where the private subnets' traffic leaves from. */
  natGatewayId: string;
  natPublicIp: string;
  /** ACM certificate for `prefect.sandbox.example.com` (ISSUED). */
  certificateArn: string;
  /** ACM certificate for `*.sandbox.example.com` (ISSUED). */
  wildcardCertificateArn: string;
  /** Route 53 public hosted zone for `sandbox.example.com` (the bare id, without `/hostedzone/`). */
  hostedZoneId: string;
  domain: string;
  /** Private subnets only, no internet gateway, no NAT. */
  isolated: SeedNetwork;
  /** Public subnets with an internet gateway; private subnets without any route out. */
  nonat: SeedNetwork;
}

export const SEED_VPC_NAME = "prefect-sandbox-vpc";
export const SEED_ISOLATED_VPC_NAME = "prefect-sandbox-isolated";
export const SEED_NONAT_VPC_NAME = "prefect-sandbox-nonat";
export const SEED_ZONE = "sandbox.example.com";
export const SEED_DOMAIN = `prefect.${SEED_ZONE}`;
export const SEED_WILDCARD_DOMAIN = `*.${SEED_ZONE}`;

export const EMPTY_SEED: SeedResult = {
  vpcId: "",
  publicSubnetIds: [],
  privateSubnetIds: [],
  natGatewayId: "",
  natPublicIp: "",
  certificateArn: "",
  wildcardCertificateArn: "",
  hostedZoneId: "",
  domain: "",
  isolated: { vpcId: "", publicSubnetIds: [], privateSubnetIds: [] },
  nonat: { vpcId: "", publicSubnetIds: [], privateSubnetIds: [] },
};

interface SubnetSpec {
  name: string;
  cidr: string;
  az: "a" | "b";
  public: boolean;
}

interface NetworkSpec {
  name: string;
  cidr: string;
  /** Name prefix of the VPC's route tables and of its internet gateway. */
  prefix: string;
  subnets: SubnetSpec[];
  /** A NAT gateway in the first public subnet, the private subnets' default route. */
  nat: boolean;
}

const MAIN: NetworkSpec = {
  name: SEED_VPC_NAME,
  cidr: "10.0.0.0/16",
  prefix: "prefect-sandbox",
  nat: true,
  subnets: [
    { name: "public-a", cidr: "10.0.0.0/24", az: "a", public: true },
    { name: "public-b", cidr: "10.0.1.0/24", az: "b", public: true },
    { name: "private-a", cidr: "10.0.10.0/24", az: "a", public: false },
    { name: "private-b", cidr: "10.0.11.0/24", az: "b", public: false },
  ],
};

const ISOLATED: NetworkSpec = {
  name: SEED_ISOLATED_VPC_NAME,
  cidr: "10.1.0.0/16",
  prefix: SEED_ISOLATED_VPC_NAME,
  nat: false,
  subnets: [
    { name: "isolated-private-a", cidr: "10.1.10.0/24", az: "a", public: false },
    { name: "isolated-private-b", cidr: "10.1.11.0/24", az: "b", public: false },
  ],
};

const NONAT: NetworkSpec = {
  name: SEED_NONAT_VPC_NAME,
  cidr: "10.2.0.0/16",
  prefix: SEED_NONAT_VPC_NAME,
  nat: false,
  subnets: [
    { name: "nonat-public-a", cidr: "10.2.0.0/24", az: "a", public: true },
    { name: "nonat-public-b", cidr: "10.2.1.0/24", az: "b", public: true },
    { name: "nonat-private-a", cidr: "10.2.10.0/24", az: "a", public: false },
    { name: "nonat-private-b", cidr: "10.2.11.0/24", az: "b", public: false },
  ],
};

const tags = (name: string): Tag[] => [
  { Key: "Name", Value: name },
  { Key: "sandbox", Value: "true" },
];

export async function seedAccount(ec2: EC2Client, acm: ACMClient, route53: Route53Client, region: string): Promise<SeedResult> {
  const main = await ensureNetwork(ec2, region, MAIN);
  const isolated = await ensureNetwork(ec2, region, ISOLATED);
  const nonat = await ensureNetwork(ec2, region, NONAT);
  const certificateArn = await ensureCertificate(acm, SEED_DOMAIN, [SEED_DOMAIN, `*.${SEED_DOMAIN}`], "prefect-sandbox-cert");
  const wildcardCertificateArn = await ensureCertificate(
    acm,
    SEED_WILDCARD_DOMAIN,
    [SEED_WILDCARD_DOMAIN],
    "prefect-sandbox-wildcard-cert",
  );
  const hostedZoneId = await ensureHostedZone(route53, SEED_ZONE);
  return {
    vpcId: main.vpcId,
    publicSubnetIds: main.publicSubnetIds,
    privateSubnetIds: main.privateSubnetIds,
    natGatewayId: main.nat?.natGatewayId ?? "",
    natPublicIp: main.nat?.publicIp ?? "",
    certificateArn,
    wildcardCertificateArn,
    hostedZoneId,
    domain: SEED_ZONE,
    isolated: { vpcId: isolated.vpcId, publicSubnetIds: isolated.publicSubnetIds, privateSubnetIds: isolated.privateSubnetIds },
    nonat: { vpcId: nonat.vpcId, publicSubnetIds: nonat.publicSubnetIds, privateSubnetIds: nonat.privateSubnetIds },
  };
}

async function ensureNetwork(ec2: EC2Client, region: string, spec: NetworkSpec) {
  const vpcId = await ensureVpc(ec2, spec.name, spec.cidr);
  const hasPublic = spec.subnets.some((s) => s.public);
  const igwId = hasPublic ? await ensureIgw(ec2, vpcId, `${spec.prefix}-igw`) : undefined;
  const publicRt = igwId ? await ensureRouteTable(ec2, vpcId, `${spec.prefix}-public`, { GatewayId: igwId }) : undefined;

  const publicSubnetIds: string[] = [];
  const privateSubnetIds: string[] = [];
  for (const s of spec.subnets.filter((x) => x.public)) {
    const id = await ensureSubnet(ec2, vpcId, s, region);
    if (publicRt) await ensureAssociation(ec2, publicRt, id);
    publicSubnetIds.push(id);
  }
  const nat = spec.nat && publicSubnetIds[0] ? await ensureNatGateway(ec2, publicSubnetIds[0], `${spec.prefix}-nat`) : undefined;
  const privateRt = await ensureRouteTable(ec2, vpcId, `${spec.prefix}-private`, nat ? { NatGatewayId: nat.natGatewayId } : undefined);
  for (const s of spec.subnets.filter((x) => !x.public)) {
    const id = await ensureSubnet(ec2, vpcId, s, region);
    await ensureAssociation(ec2, privateRt, id);
    privateSubnetIds.push(id);
  }
  return { vpcId, publicSubnetIds, privateSubnetIds, nat };
}

async function ensureVpc(ec2: EC2Client, name: string, cidr: string): Promise<string> {
  const found = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: [name] }] }));
  let vpcId = found.Vpcs?.[0]?.VpcId;
  if (!vpcId) {
    const created = await ec2.send(
      new CreateVpcCommand({ CidrBlock: cidr, TagSpecifications: [{ ResourceType: "vpc", Tags: tags(name) }] }),
    );
    vpcId = created.Vpc?.VpcId;
    if (!vpcId) throw new Error("CreateVpc returned no id");
  }
  // RunTask FARGATE in moto needs DNS hostnames (SANDBOX.md); both are what a real Prefect VPC should have anyway
  // (a Cloud Map private namespace needs them too).
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  return vpcId;
}

async function ensureIgw(ec2: EC2Client, vpcId: string, name: string): Promise<string> {
  const found = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
  const existing = found.InternetGateways?.[0]?.InternetGatewayId;
  if (existing) return existing;
  const created = await ec2.send(
    new CreateInternetGatewayCommand({ TagSpecifications: [{ ResourceType: "internet-gateway", Tags: tags(name) }] }),
  );
  const id = created.InternetGateway?.InternetGatewayId;
  if (!id) throw new Error("CreateInternetGateway returned no id");
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
  return id;
}

/** A NAT gateway with a new Elastic IP in `subnetId` (aws ec2 allocate-address + create-nat-gateway). */
async function ensureNatGateway(ec2: EC2Client, subnetId: string, name: string) {
  const found = await ec2.send(new DescribeNatGatewaysCommand({ Filter: [{ Name: "subnet-id", Values: [subnetId] }] }));
  let nat = found.NatGateways?.find((n) => n.State !== "deleted" && n.State !== "deleting");
  if (!nat) {
    const eip = await ec2.send(
      new AllocateAddressCommand({ Domain: "vpc", TagSpecifications: [{ ResourceType: "elastic-ip", Tags: tags(`${name}-eip`) }] }),
    );
    if (!eip.AllocationId) throw new Error("AllocateAddress returned no allocation id");
    const created = await ec2.send(
      new CreateNatGatewayCommand({
        SubnetId: subnetId,
        AllocationId: eip.AllocationId,
        TagSpecifications: [{ ResourceType: "natgateway", Tags: tags(name) }],
      }),
    );
    nat = created.NatGateway;
  }
  const natGatewayId = nat?.NatGatewayId;
  const publicIp = nat?.NatGatewayAddresses?.[0]?.PublicIp;
  if (!natGatewayId || !publicIp) throw new Error("CreateNatGateway returned no id or public IP");
  return { natGatewayId, publicIp };
}

async function ensureRouteTable(
  ec2: EC2Client,
  vpcId: string,
  name: string,
  defaultRoute: { GatewayId: string } | { NatGatewayId: string } | undefined,
) {
  const found = await ec2.send(
    new DescribeRouteTablesCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpcId] },
        { Name: "tag:Name", Values: [name] },
      ],
    }),
  );
  let rt = found.RouteTables?.[0];
  if (!rt) {
    const created = await ec2.send(
      new CreateRouteTableCommand({ VpcId: vpcId, TagSpecifications: [{ ResourceType: "route-table", Tags: tags(name) }] }),
    );
    rt = created.RouteTable;
  }
  const id = rt?.RouteTableId;
  if (!id) throw new Error("CreateRouteTable returned no id");
  if (defaultRoute && !rt?.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0")) {
    await ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: "0.0.0.0/0", ...defaultRoute }));
  }
  return id;
}

async function ensureSubnet(ec2: EC2Client, vpcId: string, s: SubnetSpec, region: string) {
  const found = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpcId] },
        { Name: "tag:Name", Values: [s.name] },
      ],
    }),
  );
  let id = found.Subnets?.[0]?.SubnetId;
  if (!id) {
    const created = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: s.cidr,
        AvailabilityZone: `${region}${s.az}`,
        TagSpecifications: [{ ResourceType: "subnet", Tags: tags(s.name) }],
      }),
    );
    id = created.Subnet?.SubnetId;
    if (!id) throw new Error("CreateSubnet returned no id");
    // Tag also with the tier so a console can tell public from private without reading route tables.
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "tier", Value: s.public ? "public" : "private" }] }));
  }
  if (s.public) {
    await ec2.send(new ModifySubnetAttributeCommand({ SubnetId: id, MapPublicIpOnLaunch: { Value: true } }));
  }
  return id;
}

async function ensureAssociation(ec2: EC2Client, routeTableId: string, subnetId: string) {
  const found = await ec2.send(new DescribeRouteTablesCommand({ RouteTableIds: [routeTableId] }));
  const assoc = found.RouteTables?.[0]?.Associations ?? [];
  if (assoc.some((a) => a.SubnetId === subnetId)) return;
  await ec2.send(new AssociateRouteTableCommand({ RouteTableId: routeTableId, SubnetId: subnetId }));
}

/**
 * A DNS-validated ACM certificate. moto marks it ISSUED on the first describe (moto is started with
 * MOTO_ACM_VALIDATION_WAIT=0: the sandbox plays the validation record as already in place).
 */
async function ensureCertificate(acm: ACMClient, domain: string, sans: string[], name: string): Promise<string> {
  const list = await acm.send(new ListCertificatesCommand({}));
  const existing = list.CertificateSummaryList?.find((c) => c.DomainName === domain)?.CertificateArn;
  if (existing) return existing;
  const created = await acm.send(
    new RequestCertificateCommand({
      DomainName: domain,
      SubjectAlternativeNames: sans,
      ValidationMethod: "DNS",
      Tags: [{ Key: "Name", Value: name }],
    }),
  );
  if (!created.CertificateArn) throw new Error("RequestCertificate returned no ARN");
  return created.CertificateArn;
}

/** A public hosted zone (aws route53 create-hosted-zone); returns the bare zone id. */
async function ensureHostedZone(route53: Route53Client, zone: string): Promise<string> {
  const found = await route53.send(new ListHostedZonesByNameCommand({ DNSName: zone }));
  const existing = found.HostedZones?.find((z) => z.Name === `${zone}.` && !z.Config?.PrivateZone)?.Id;
  const id =
    existing ??
    (await route53.send(new CreateHostedZoneCommand({ Name: zone, CallerReference: `prefect-sandbox-${zone}` }))).HostedZone?.Id;
  if (!id) throw new Error("CreateHostedZone returned no id");
  return id.replace(/^\/hostedzone\//, "");
}

/**
 * The seed as environment variables (one home for their names): test/global-sandbox.ts exports them to integration
 * tests; e2e/server.ts writes them into the sandbox info file as `vars`.
 */
export function seedEnv(seed: SeedResult): Record<string, string> {
  return {
    SANDBOX_VPC_ID: seed.vpcId,
    SANDBOX_PUBLIC_SUBNETS: seed.publicSubnetIds.join(","),
    SANDBOX_PRIVATE_SUBNETS: seed.privateSubnetIds.join(","),
    SANDBOX_NAT_GATEWAY_ID: seed.natGatewayId,
    SANDBOX_NAT_PUBLIC_IP: seed.natPublicIp,
    SANDBOX_CERT_ARN: seed.certificateArn,
    SANDBOX_WILDCARD_CERT_ARN: seed.wildcardCertificateArn,
    SANDBOX_HOSTED_ZONE_ID: seed.hostedZoneId,
    SANDBOX_DOMAIN: seed.domain,
    SANDBOX_ISOLATED_VPC_ID: seed.isolated.vpcId,
    SANDBOX_ISOLATED_SUBNETS: seed.isolated.privateSubnetIds.join(","),
    SANDBOX_NONAT_VPC_ID: seed.nonat.vpcId,
    SANDBOX_NONAT_PUBLIC_SUBNETS: seed.nonat.publicSubnetIds.join(","),
    SANDBOX_NONAT_PRIVATE_SUBNETS: seed.nonat.privateSubnetIds.join(","),
  };
}
