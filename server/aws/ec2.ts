import "server-only";
import {
  AuthorizeSecurityGroupIngressCommand,
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

// aws ec2 describe-network-interfaces --filters Name=group-id,Values=G  (≤ 1000 per page; one page is enough to know
// whether any is left). Fargate tasks' ENIs linger for a while after the task stops; a group they use cannot be deleted.
import { DescribeNetworkInterfacesCommand } from "@aws-sdk/client-ec2";
export async function countNetworkInterfacesInGroup(region: string, groupId: string): Promise<number> {
  const out = await aws("ec2:DescribeNetworkInterfaces", groupId, () =>
    ec2(region).send(new DescribeNetworkInterfacesCommand({ Filters: [{ Name: "group-id", Values: [groupId] }], MaxResults: 1000 })),
  );
  return out.NetworkInterfaces?.length ?? 0;
}
