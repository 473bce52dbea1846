import { mockClient } from "aws-sdk-client-mock";
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { afterEach, describe, expect, it } from "vitest";
import { listSubnets, listVpcs } from "./network";

// Public vs private, the way AWS decides it: a subnet's own route table (or else the VPC's main table) sends
// 0.0.0.0/0 to an internet gateway → public. A NAT gateway route is still private.

const ec2 = mockClient(EC2Client);
afterEach(() => ec2.reset());

describe("network pickers", () => {
  it("tells public and private subnets apart by their route tables, main table as the fallback", async () => {
    ec2.on(DescribeSubnetsCommand).resolves({
      Subnets: [
        { SubnetId: "subnet-pub", AvailabilityZone: "eu-west-2a", CidrBlock: "10.0.0.0/24", Tags: [{ Key: "Name", Value: "public-a" }] },
        { SubnetId: "subnet-nat", AvailabilityZone: "eu-west-2b", CidrBlock: "10.0.10.0/24" },
        { SubnetId: "subnet-main", AvailabilityZone: "eu-west-2c", CidrBlock: "10.0.20.0/24" },
      ],
    });
    ec2.on(DescribeRouteTablesCommand).resolves({
      RouteTables: [
        { Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }] },
        { Associations: [{ SubnetId: "subnet-pub" }], Routes: [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-123" }] },
        { Associations: [{ SubnetId: "subnet-nat" }], Routes: [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-123" }] },
      ],
    });
    const subnets = await listSubnets("eu-west-2", "vpc-0abc1234");
    expect(subnets.map((s) => `${s.id}:${s.public ? "public" : "private"}`)).toEqual([
      "subnet-nat:private",
      "subnet-main:private",
      "subnet-pub:public",
    ]);
    expect(subnets.find((s) => s.id === "subnet-pub")).toMatchObject({ name: "public-a", az: "eu-west-2a", cidr: "10.0.0.0/24" });
  });

  it("a main table routed to an internet gateway makes unassociated subnets public", async () => {
    ec2.on(DescribeSubnetsCommand).resolves({ Subnets: [{ SubnetId: "subnet-x", AvailabilityZone: "eu-west-2a" }] });
    ec2
      .on(DescribeRouteTablesCommand)
      .resolves({ RouteTables: [{ Associations: [{ Main: true }], Routes: [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-1" }] }] });
    expect((await listSubnets("eu-west-2", "vpc-0abc1234"))[0]?.public).toBe(true);
  });

  it("lists the default VPC first, with names and CIDRs", async () => {
    ec2.on(DescribeVpcsCommand).resolves({
      Vpcs: [
        { VpcId: "vpc-b", CidrBlock: "10.1.0.0/16", Tags: [{ Key: "Name", Value: "data" }] },
        { VpcId: "vpc-a", CidrBlock: "172.31.0.0/16", IsDefault: true },
      ],
    });
    expect(await listVpcs("eu-west-2")).toEqual([
      { id: "vpc-a", name: "", cidr: "172.31.0.0/16", isDefault: true },
      { id: "vpc-b", name: "data", cidr: "10.1.0.0/16", isDefault: false },
    ]);
  });
});
