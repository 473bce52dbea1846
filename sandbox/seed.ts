// Seeds a realistic account into moto (issue 2 item 3): one VPC with DNS hostnames, 2 public subnets routed to an
// internet gateway, 2 private subnets with their own route table, in us-east-1a/b, and an ACM certificate so HTTPS
// listeners can be created. Idempotent: every resource is looked up by its Name tag (or domain) first.
import {
  AssociateRouteTableCommand,
  AttachInternetGatewayCommand,
  CreateInternetGatewayCommand,
  CreateRouteCommand,
  CreateRouteTableCommand,
  CreateSubnetCommand,
  CreateTagsCommand,
  CreateVpcCommand,
  DescribeInternetGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  ModifySubnetAttributeCommand,
  ModifyVpcAttributeCommand,
  type EC2Client,
  type Tag,
} from "@aws-sdk/client-ec2";
import { ListCertificatesCommand, RequestCertificateCommand, type ACMClient } from "@aws-sdk/client-acm";

export interface SeedResult {
  vpcId: string;
  publicSubnetIds: string[];
  privateSubnetIds: string[];
  certificateArn: string;
}

export const SEED_VPC_NAME = "prefect-sandbox-vpc";
export const SEED_DOMAIN = "prefect.sandbox.example.com";

const SUBNETS = [
  { name: "public-a", cidr: "10.0.0.0/24", az: "a", public: true },
  { name: "public-b", cidr: "10.0.1.0/24", az: "b", public: true },
  { name: "private-a", cidr: "10.0.10.0/24", az: "a", public: false },
  { name: "private-b", cidr: "10.0.11.0/24", az: "b", public: false },
] as const;

const tags = (name: string): Tag[] => [
  { Key: "Name", Value: name },
  { Key: "sandbox", Value: "true" },
];

export async function seedAccount(ec2: EC2Client, acm: ACMClient, region: string): Promise<SeedResult> {
  const vpcId = await ensureVpc(ec2);
  const igwId = await ensureIgw(ec2, vpcId);
  const publicRt = await ensureRouteTable(ec2, vpcId, "prefect-sandbox-public", igwId);
  const privateRt = await ensureRouteTable(ec2, vpcId, "prefect-sandbox-private", undefined);

  const publicSubnetIds: string[] = [];
  const privateSubnetIds: string[] = [];
  for (const s of SUBNETS) {
    const id = await ensureSubnet(ec2, vpcId, s.name, s.cidr, `${region}${s.az}`, s.public);
    await ensureAssociation(ec2, s.public ? publicRt : privateRt, id);
    (s.public ? publicSubnetIds : privateSubnetIds).push(id);
  }
  const certificateArn = await ensureCertificate(acm);
  return { vpcId, publicSubnetIds, privateSubnetIds, certificateArn };
}

async function ensureVpc(ec2: EC2Client): Promise<string> {
  const found = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: [SEED_VPC_NAME] }] }));
  let vpcId = found.Vpcs?.[0]?.VpcId;
  if (!vpcId) {
    const created = await ec2.send(
      new CreateVpcCommand({
        CidrBlock: "10.0.0.0/16",
        TagSpecifications: [{ ResourceType: "vpc", Tags: tags(SEED_VPC_NAME) }],
      }),
    );
    vpcId = created.Vpc?.VpcId;
    if (!vpcId) throw new Error("CreateVpc returned no id");
  }
  // RunTask FARGATE in moto needs DNS hostnames (SANDBOX.md); both are what a real Prefect VPC should have anyway.
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsSupport: { Value: true } }));
  await ec2.send(new ModifyVpcAttributeCommand({ VpcId: vpcId, EnableDnsHostnames: { Value: true } }));
  return vpcId;
}

async function ensureIgw(ec2: EC2Client, vpcId: string): Promise<string> {
  const found = await ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] }));
  const existing = found.InternetGateways?.[0]?.InternetGatewayId;
  if (existing) return existing;
  const created = await ec2.send(
    new CreateInternetGatewayCommand({
      TagSpecifications: [{ ResourceType: "internet-gateway", Tags: tags("prefect-sandbox-igw") }],
    }),
  );
  const id = created.InternetGateway?.InternetGatewayId;
  if (!id) throw new Error("CreateInternetGateway returned no id");
  await ec2.send(new AttachInternetGatewayCommand({ InternetGatewayId: id, VpcId: vpcId }));
  return id;
}

async function ensureRouteTable(ec2: EC2Client, vpcId: string, name: string, igwId: string | undefined) {
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
  if (igwId && !rt?.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0")) {
    await ec2.send(new CreateRouteCommand({ RouteTableId: id, DestinationCidrBlock: "0.0.0.0/0", GatewayId: igwId }));
  }
  return id;
}

async function ensureSubnet(ec2: EC2Client, vpcId: string, name: string, cidr: string, az: string, isPublic: boolean) {
  const found = await ec2.send(
    new DescribeSubnetsCommand({
      Filters: [
        { Name: "vpc-id", Values: [vpcId] },
        { Name: "tag:Name", Values: [name] },
      ],
    }),
  );
  let id = found.Subnets?.[0]?.SubnetId;
  if (!id) {
    const created = await ec2.send(
      new CreateSubnetCommand({
        VpcId: vpcId,
        CidrBlock: cidr,
        AvailabilityZone: az,
        TagSpecifications: [{ ResourceType: "subnet", Tags: tags(name) }],
      }),
    );
    id = created.Subnet?.SubnetId;
    if (!id) throw new Error("CreateSubnet returned no id");
    // Tag also with the tier so a console can tell public from private without reading route tables.
    await ec2.send(new CreateTagsCommand({ Resources: [id], Tags: [{ Key: "tier", Value: isPublic ? "public" : "private" }] }));
  }
  if (isPublic) {
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

async function ensureCertificate(acm: ACMClient): Promise<string> {
  const list = await acm.send(new ListCertificatesCommand({}));
  const existing = list.CertificateSummaryList?.find((c) => c.DomainName === SEED_DOMAIN)?.CertificateArn;
  if (existing) return existing;
  const created = await acm.send(
    new RequestCertificateCommand({
      DomainName: SEED_DOMAIN,
      SubjectAlternativeNames: [SEED_DOMAIN, `*.${SEED_DOMAIN}`],
      ValidationMethod: "DNS",
      Tags: [{ Key: "Name", Value: "prefect-sandbox-cert" }],
    }),
  );
  if (!created.CertificateArn) throw new Error("RequestCertificate returned no ARN");
  return created.CertificateArn;
}
