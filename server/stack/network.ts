import "server-only";
import type { SubnetChoice, VpcChoice } from "@/lib/network-choices";
import type { Region } from "@/lib/stack-spec";
import { describeRouteTables, describeSubnets, describeVpcs } from "@/server/aws/ec2";

// The provisioning form's VPC and subnet pickers, from the account. A subnet is public when its route table (its
// own association, or the VPC's main table) sends 0.0.0.0/0 to an internet gateway — the same rule AWS uses.
//   aws ec2 describe-vpcs; aws ec2 describe-subnets --filters Name=vpc-id,…; aws ec2 describe-route-tables --filters …

const nameTag = (tags: { Key?: string; Value?: string }[] | undefined) => tags?.find((t) => t.Key === "Name")?.Value ?? "";

export async function listVpcs(region: Region): Promise<VpcChoice[]> {
  const vpcs = await describeVpcs(region);
  return vpcs
    .map((v) => ({ id: v.VpcId ?? "", name: nameTag(v.Tags), cidr: v.CidrBlock ?? "", isDefault: Boolean(v.IsDefault) }))
    .filter((v) => v.id)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault) || a.name.localeCompare(b.name));
}

export async function listSubnets(region: Region, vpcId: string): Promise<SubnetChoice[]> {
  const [subnets, tables] = await Promise.all([describeSubnets(region, vpcId), describeRouteTables(region, vpcId)]);
  const toIgw = (t: (typeof tables)[number]) =>
    (t.Routes ?? []).some((r) => r.DestinationCidrBlock === "0.0.0.0/0" && (r.GatewayId ?? "").startsWith("igw-"));
  const main = tables.find((t) => (t.Associations ?? []).some((a) => a.Main));
  const publicBySubnet = new Map<string, boolean>();
  for (const t of tables) for (const a of t.Associations ?? []) if (a.SubnetId) publicBySubnet.set(a.SubnetId, toIgw(t));
  return subnets
    .map((s) => ({
      id: s.SubnetId ?? "",
      name: nameTag(s.Tags),
      az: s.AvailabilityZone ?? "",
      cidr: s.CidrBlock ?? "",
      public: publicBySubnet.get(s.SubnetId ?? "") ?? (main ? toIgw(main) : false),
    }))
    .filter((s) => s.id)
    .sort((a, b) => Number(a.public) - Number(b.public) || a.az.localeCompare(b.az) || a.name.localeCompare(b.name));
}
