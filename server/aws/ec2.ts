import "server-only";
import {
  AllocateAddressCommand,
  AuthorizeSecurityGroupIngressCommand,
  CreateNatGatewayCommand,
  CreateRouteCommand,
  CreateTagsCommand,
  DeleteNatGatewayCommand,
  DeleteRouteCommand,
  DescribeAddressesCommand,
  DescribeNatGatewaysCommand,
  DescribeNetworkInterfacesCommand,
  DescribeVpcEndpointsCommand,
  ReleaseAddressCommand,
  ReplaceRouteCommand,
  type Address,
  type NatGateway,
  type ResourceType,
  type VpcEndpoint,
  CreateSecurityGroupCommand,
  DeleteSecurityGroupCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  EC2Client,
  RevokeSecurityGroupIngressCommand,
  type IpPermission,
  type RouteTable,
  type SecurityGroup,
  type Subnet,
  type Vpc,
} from "@aws-sdk/client-ec2";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

// Thin EC2 wrappers: VPC discovery for the provisioning form and the stack's security groups.
// Several engineers add functions here: add, don't restructure.

const ec2 = (region: string) => awsClient(EC2Client, region);

// aws ec2 describe-vpcs  (≤ 1000 per page; accounts have a handful)
export async function describeVpcs(region: string): Promise<Vpc[]> {
  const out = await aws("ec2:DescribeVpcs", region, () => ec2(region).send(new DescribeVpcsCommand({ MaxResults: 1000 })));
  return out.Vpcs ?? [];
}

// aws ec2 describe-subnets --filters Name=vpc-id,Values=V  (≤ 1000 per page)
export async function describeSubnets(region: string, vpcId: string): Promise<Subnet[]> {
  const out = await aws("ec2:DescribeSubnets", vpcId, () =>
    ec2(region).send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }], MaxResults: 1000 })),
  );
  return out.Subnets ?? [];
}

// aws ec2 describe-subnets --subnet-ids S…  (the AZ check before a plan)
export async function describeSubnetsById(region: string, ids: string[]): Promise<Subnet[]> {
  const out = await aws("ec2:DescribeSubnets", ids.join(", "), () => ec2(region).send(new DescribeSubnetsCommand({ SubnetIds: ids })));
  return out.Subnets ?? [];
}

// aws ec2 describe-route-tables --filters Name=vpc-id,Values=V  (≤ 100 per page)
export async function describeRouteTables(region: string, vpcId: string): Promise<RouteTable[]> {
  const out = await aws("ec2:DescribeRouteTables", vpcId, () =>
    ec2(region).send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }], MaxResults: 100 })),
  );
  return out.RouteTables ?? [];
}

// aws ec2 describe-security-groups --filters Name=vpc-id,Values=V Name=group-name,Values=N
export async function findSecurityGroup(region: string, vpcId: string, name: string): Promise<SecurityGroup | undefined> {
  const out = await aws("ec2:DescribeSecurityGroups", name, () =>
    ec2(region).send(
      new DescribeSecurityGroupsCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "group-name", Values: [name] },
        ],
      }),
    ),
  );
  return out.SecurityGroups?.[0];
}

// aws ec2 create-security-group --group-name N --description D --vpc-id V --tag-specifications …  (names unique per VPC)
export async function createSecurityGroup(
  region: string,
  input: { name: string; description: string; vpcId: string; tags: Record<string, string> },
): Promise<string> {
  const out = await aws("ec2:CreateSecurityGroup", input.name, () =>
    ec2(region).send(
      new CreateSecurityGroupCommand({
        GroupName: input.name,
        Description: input.description,
        VpcId: input.vpcId,
        TagSpecifications: [
          {
            ResourceType: "security-group",
            Tags: Object.entries({ Name: input.name, ...input.tags }).map(([Key, Value]) => ({ Key, Value })),
          },
        ],
      }),
    ),
  );
  if (!out.GroupId) throw new Error(`create security group ${input.name}: no id returned`);
  return out.GroupId;
}

// aws ec2 create-tags --resources sg-… --tags Key=prefect-console:stack,Value=<env> …
// Claims a security group made outside the console (the Terraform walkthrough's) for a stack: the console's policy
// allows rule changes only on groups carrying the stack tag, and CreateTags on an existing group only for the
// console's own tag keys on a group named prefect-* that no stack has claimed yet (docs/iam-policy.md).
export async function tagSecurityGroup(region: string, groupId: string, name: string, tags: Record<string, string>): Promise<void> {
  await aws("ec2:CreateTags", name, () =>
    ec2(region).send(new CreateTagsCommand({ Resources: [groupId], Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) })),
  );
}

// aws ec2 authorize-security-group-ingress --group-id G --ip-permissions …  (≤ 60 inbound rules per group by default)
export async function authorizeIngress(region: string, groupId: string, name: string, permissions: IpPermission[]): Promise<void> {
  if (!permissions.length) return;
  try {
    await ec2(region).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions }));
  } catch (err) {
    // InvalidPermission.Duplicate: the rule is there already (a retried step) — that is the goal.
    if (/Duplicate/.test(String((err as { name?: string }).name))) return;
    await aws("ec2:AuthorizeSecurityGroupIngress", name, () => Promise.reject(err));
  }
}

// aws ec2 revoke-security-group-ingress --group-id G --ip-permissions …
export async function revokeIngress(region: string, groupId: string, name: string, permissions: IpPermission[]): Promise<void> {
  if (!permissions.length) return;
  await aws("ec2:RevokeSecurityGroupIngress", name, () =>
    ec2(region).send(new RevokeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: permissions })),
  );
}

// aws ec2 delete-security-group --group-id G  (DependencyViolation while an ENI or another group's rule uses it → retried)
export async function deleteSecurityGroup(region: string, groupId: string, name: string): Promise<void> {
  try {
    await ec2(region).send(new DeleteSecurityGroupCommand({ GroupId: groupId }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("ec2:DeleteSecurityGroup", name, () => Promise.reject(err));
  }
}

// ── Egress (the plan's preflight) and the stack's optional NAT gateways ─────────────────────────────────────────

// aws ec2 describe-vpc-endpoints --filters Name=vpc-id,Values=V  (≤ 1000 per page)
export async function describeVpcEndpoints(region: string, vpcId: string): Promise<VpcEndpoint[]> {
  const out = await aws("ec2:DescribeVpcEndpoints", vpcId, () =>
    ec2(region).send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }], MaxResults: 1000 })),
  );
  return out.VpcEndpoints ?? [];
}

const tagSpec = (type: ResourceType, tags: Record<string, string>) => [
  { ResourceType: type, Tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value })) },
];

// aws ec2 describe-addresses --filters Name=tag:K,Values=V  (Elastic IPs: 5 per region by default)
export async function findAddressesByTag(region: string, key: string, value: string): Promise<Address[]> {
  const out = await aws("ec2:DescribeAddresses", `${key}=${value}`, () =>
    ec2(region).send(new DescribeAddressesCommand({ Filters: [{ Name: `tag:${key}`, Values: [value] }] })),
  );
  return out.Addresses ?? [];
}

// aws ec2 allocate-address --domain vpc --tag-specifications …
export async function allocateAddress(region: string, name: string, tags: Record<string, string>): Promise<string> {
  const out = await aws("ec2:AllocateAddress", name, () =>
    ec2(region).send(new AllocateAddressCommand({ Domain: "vpc", TagSpecifications: tagSpec("elastic-ip", { Name: name, ...tags }) })),
  );
  if (!out.AllocationId) throw new Error(`allocate address ${name}: no allocation id returned`);
  return out.AllocationId;
}

// aws ec2 release-address --allocation-id A  (InvalidIPAddress.InUse while a NAT gateway still holds it → retried)
export async function releaseAddress(region: string, allocationId: string, name: string): Promise<void> {
  try {
    await ec2(region).send(new ReleaseAddressCommand({ AllocationId: allocationId }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("ec2:ReleaseAddress", name, () => Promise.reject(err));
  }
}

// aws ec2 describe-nat-gateways --filter Name=tag:K,Values=V  (deleted ones stay listed for about an hour)
export async function findNatGatewaysByTag(region: string, key: string, value: string): Promise<NatGateway[]> {
  const out = await aws("ec2:DescribeNatGateways", `${key}=${value}`, () =>
    ec2(region).send(new DescribeNatGatewaysCommand({ Filter: [{ Name: `tag:${key}`, Values: [value] }], MaxResults: 1000 })),
  );
  return out.NatGateways ?? [];
}

// aws ec2 create-nat-gateway --subnet-id S --allocation-id A --client-token T --tag-specifications …
// (pending → available in a few minutes; 5 per AZ by default)
export async function createNatGateway(
  region: string,
  input: { subnetId: string; allocationId: string; name: string; tags: Record<string, string>; token: string },
): Promise<string> {
  const out = await aws("ec2:CreateNatGateway", input.name, () =>
    ec2(region).send(
      new CreateNatGatewayCommand({
        SubnetId: input.subnetId,
        AllocationId: input.allocationId,
        ConnectivityType: "public",
        ClientToken: input.token,
        TagSpecifications: tagSpec("natgateway", { Name: input.name, ...input.tags }),
      }),
    ),
  );
  return out.NatGateway?.NatGatewayId ?? "";
}

// aws ec2 delete-nat-gateway --nat-gateway-id N  (deleting → deleted; its Elastic IP is released only after that)
export async function deleteNatGateway(region: string, id: string): Promise<void> {
  try {
    await ec2(region).send(new DeleteNatGatewayCommand({ NatGatewayId: id }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("ec2:DeleteNatGateway", id, () => Promise.reject(err));
  }
}

// aws ec2 create-route --route-table-id R --destination-cidr-block 0.0.0.0/0 --nat-gateway-id N
export async function createNatRoute(region: string, routeTableId: string, natGatewayId: string): Promise<void> {
  await aws("ec2:CreateRoute", routeTableId, () =>
    ec2(region).send(new CreateRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: natGatewayId })),
  );
}

// aws ec2 replace-route --route-table-id R --destination-cidr-block 0.0.0.0/0 --nat-gateway-id N  (a blackhole route)
export async function replaceNatRoute(region: string, routeTableId: string, natGatewayId: string): Promise<void> {
  await aws("ec2:ReplaceRoute", routeTableId, () =>
    ec2(region).send(
      new ReplaceRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: natGatewayId }),
    ),
  );
}

// aws ec2 delete-route --route-table-id R --destination-cidr-block 0.0.0.0/0
export async function deleteDefaultRoute(region: string, routeTableId: string): Promise<void> {
  try {
    await ec2(region).send(new DeleteRouteCommand({ RouteTableId: routeTableId, DestinationCidrBlock: "0.0.0.0/0" }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("ec2:DeleteRoute", routeTableId, () => Promise.reject(err));
  }
}

// aws ec2 describe-network-interfaces --filters Name=group-id,Values=G  (≤ 1000 per page; one page is enough to know
// whether any is left). Fargate tasks' ENIs linger for a while after the task stops; a group they use cannot be deleted.
export async function countNetworkInterfacesInGroup(region: string, groupId: string): Promise<number> {
  const out = await aws("ec2:DescribeNetworkInterfaces", groupId, () =>
    ec2(region).send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }], MaxResults: 1000 })),
  );
  return out.NetworkInterfaces?.length ?? 0;
}
