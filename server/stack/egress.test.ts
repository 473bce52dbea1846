import { describe, expect, it } from "vitest";
import type { RouteTable, VpcEndpoint } from "@aws-sdk/client-ec2";
import { egressOf, isPublicSubnet } from "./egress";
import { natSubnets, wantedRoutes } from "./resources/nat-gateway";

// Egress as AWS decides it for a Fargate task without a public IP (AWS-RULES.md "Egress").

const table = (id: string, subnets: string[], route?: RouteTable["Routes"], main = false): RouteTable => ({
  RouteTableId: id,
  Associations: [...subnets.map((SubnetId) => ({ SubnetId })), ...(main ? [{ Main: true }] : [])],
  Routes: [{ DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local" }, ...(route ?? [])],
});
const endpoints = (names: string[]): VpcEndpoint[] =>
  names.map((n) => ({ ServiceName: `com.amazonaws.eu-west-2.${n}`, State: "Available" }));
const HUB = ["prefecthq/prefect:3.6.29-python3.12"];
const ECR = ["123456789012.dkr.ecr.eu-west-2.amazonaws.com/prefect:3.6.29"];
const ALL = ["ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager"];

describe("egressOf", () => {
  it("a NAT gateway route is a way out", () => {
    const t = [table("rtb-1", ["subnet-a"], [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-1", State: "active" }])];
    expect(egressOf({ SubnetId: "subnet-a" }, t, [], "eu-west-2", HUB)).toEqual({ ok: true, via: "NAT gateway nat-1" });
  });
  it("no default route and no endpoints: no way out, and the message says so", () => {
    const e = egressOf({ SubnetId: "subnet-a" }, [table("rtb-1", ["subnet-a"])], [], "eu-west-2", HUB);
    expect(e).toMatchObject({ ok: false, reason: "no-route" });
    expect(e.ok ? "" : e.detail).toMatch(/no 0.0.0.0\/0 route to a NAT gateway and no VPC endpoints/);
  });
  it("a subnet without its own table follows the main table", () => {
    const t = [table("rtb-main", [], [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-9", State: "active" }], true)];
    expect(egressOf({ SubnetId: "subnet-z" }, t, [], "eu-west-2", HUB).ok).toBe(true);
  });
  it("an internet gateway route makes it public: tasks without a public IP cannot use it", () => {
    const t = [table("rtb-1", ["subnet-a"], [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-1", State: "active" }])];
    expect(egressOf({ SubnetId: "subnet-a" }, t, [], "eu-west-2", HUB)).toMatchObject({ ok: false, reason: "public-subnet" });
    expect(isPublicSubnet("subnet-a", t)).toBe(true);
  });
  it("a blackhole route (its NAT was deleted) is no way out", () => {
    const t = [table("rtb-1", ["subnet-a"], [{ DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: "nat-gone", State: "blackhole" }])];
    expect(egressOf({ SubnetId: "subnet-a" }, t, [], "eu-west-2", HUB)).toMatchObject({ ok: false, reason: "blackhole" });
  });
  it("VPC endpoints are enough for an ECR image, never for Docker Hub", () => {
    const t = [table("rtb-1", ["subnet-a"])];
    expect(egressOf({ SubnetId: "subnet-a" }, t, endpoints(ALL), "eu-west-2", ECR).ok).toBe(true);
    expect(egressOf({ SubnetId: "subnet-a" }, t, endpoints(ALL), "eu-west-2", HUB)).toMatchObject({ reason: "endpoints-without-registry" });
    const partial = egressOf({ SubnetId: "subnet-a" }, t, endpoints(["ecr.api", "ecr.dkr"]), "eu-west-2", ECR);
    expect(partial.ok ? "" : partial.detail).toMatch(/lacks the VPC endpoints s3, logs, secretsmanager/);
  });
});

describe("the NAT option's layout", () => {
  it("one shared NAT in the first public subnet, or one per public subnet", () => {
    const spec = { publicSubnetIds: ["subnet-d", "subnet-c"] };
    expect(natSubnets({ ...spec, natGateways: "single" })).toEqual(["subnet-c"]);
    expect(natSubnets({ ...spec, natGateways: "per-az" })).toEqual(["subnet-c", "subnet-d"]);
    expect(natSubnets({ ...spec, natGateways: "none" })).toEqual([]);
  });
  it("each private route table points at the NAT in its subnets' AZ; a shared table gets one route", () => {
    const tables = [table("rtb-a", ["subnet-a"]), table("rtb-b", ["subnet-b"]), table("rtb-shared", ["subnet-x", "subnet-y"])];
    const azOf = { "subnet-a": "az1", "subnet-b": "az2", "subnet-x": "az2", "subnet-y": "az1", "subnet-c": "az1", "subnet-d": "az2" };
    const perAz = wantedRoutes(
      { privateSubnetIds: ["subnet-a", "subnet-b", "subnet-x", "subnet-y"], nats: { "subnet-c": "nat-1", "subnet-d": "nat-2" } },
      { tables, azOf },
    );
    expect(Object.fromEntries(perAz)).toEqual({ "rtb-a": "nat-1", "rtb-b": "nat-2", "rtb-shared": "nat-2" });
    const single = wantedRoutes({ privateSubnetIds: ["subnet-a", "subnet-b"], nats: { "subnet-c": "nat-1" } }, { tables, azOf });
    expect(Object.fromEntries(single)).toEqual({ "rtb-a": "nat-1", "rtb-b": "nat-1" });
  });
});
