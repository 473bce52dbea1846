import { describe, expect, it } from "vitest";
import { DescribeCertificateCommand, ACMClient } from "@aws-sdk/client-acm";
import {
  DescribeInternetGatewaysCommand,
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcAttributeCommand,
  DescribeVpcsCommand,
  type RouteTable,
} from "@aws-sdk/client-ec2";
import { GetHostedZoneCommand, Route53Client } from "@aws-sdk/client-route-53";
import { STACK_TAG } from "@/lib/names";
import { adminConfig, sandboxClients, sandboxEnv } from "@/test/fixtures/sandbox";

describe("sandbox seed", () => {
  const c = sandboxClients();

  it("has the VPC with DNS hostnames, 2 public + 2 private subnets in 2 AZs and a certificate", async () => {
    const vpcId = sandboxEnv("SANDBOX_VPC_ID");
    const vpcs = await c.ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: "tag:Name", Values: ["prefect-sandbox-vpc"] }] }));
    expect(vpcs.Vpcs?.map((v) => v.VpcId)).toEqual([vpcId]);
    expect(vpcs.Vpcs?.[0]?.CidrBlock).toBe("10.0.0.0/16");
    const dns = await c.ec2.send(new DescribeVpcAttributeCommand({ VpcId: vpcId, Attribute: "enableDnsHostnames" }));
    expect(dns.EnableDnsHostnames?.Value).toBe(true);

    const subnets = (await c.ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).Subnets ?? [];
    const byName = new Map(subnets.map((s) => [s.Tags?.find((t) => t.Key === "Name")?.Value, s]));
    expect([...byName.keys()].sort()).toEqual(["private-a", "private-b", "public-a", "public-b"]);
    expect(byName.get("public-a")?.AvailabilityZone).toBe("us-east-1a");
    expect(byName.get("public-b")?.AvailabilityZone).toBe("us-east-1b");
    expect(byName.get("public-a")?.MapPublicIpOnLaunch).toBe(true);
    expect(sandboxEnv("SANDBOX_PUBLIC_SUBNETS").split(",").sort()).toEqual(
      [byName.get("public-a")?.SubnetId, byName.get("public-b")?.SubnetId].sort(),
    );
    expect(sandboxEnv("SANDBOX_PRIVATE_SUBNETS").split(",").sort()).toEqual(
      [byName.get("private-a")?.SubnetId, byName.get("private-b")?.SubnetId].sort(),
    );

    // Public subnets route 0.0.0.0/0 to an internet gateway; private ones do not.
    const rts = (await c.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).RouteTables ?? [];
    const tableOf = (subnetId: string | undefined) => rts.find((rt) => rt.Associations?.some((a) => a.SubnetId === subnetId));
    const hasIgw = (subnetId: string | undefined) =>
      !!tableOf(subnetId)?.Routes?.some((r) => r.DestinationCidrBlock === "0.0.0.0/0" && r.GatewayId?.startsWith("igw-"));
    expect(hasIgw(byName.get("public-a")?.SubnetId)).toBe(true);
    expect(hasIgw(byName.get("public-b")?.SubnetId)).toBe(true);
    expect(hasIgw(byName.get("private-a")?.SubnetId)).toBe(false);
    expect(hasIgw(byName.get("private-b")?.SubnetId)).toBe(false);
    // … they route 0.0.0.0/0 to the NAT gateway in public-a, whose Elastic IP is exported.
    const nat = (await c.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [sandboxEnv("SANDBOX_NAT_GATEWAY_ID")] })))
      .NatGateways?.[0];
    expect(nat?.SubnetId).toBe(byName.get("public-a")?.SubnetId);
    expect(nat?.NatGatewayAddresses?.[0]?.PublicIp).toBe(sandboxEnv("SANDBOX_NAT_PUBLIC_IP"));
    for (const name of ["private-a", "private-b"]) {
      expect(defaultRoute(tableOf(byName.get(name)?.SubnetId))?.NatGatewayId).toBe(nat?.NatGatewayId);
    }

    const acm = new ACMClient(adminConfig());
    const cert = await acm.send(new DescribeCertificateCommand({ CertificateArn: sandboxEnv("SANDBOX_CERT_ARN") }));
    expect(cert.Certificate?.DomainName).toBe("prefect.sandbox.example.com");
    expect(cert.Certificate?.Status).toBe("ISSUED");
    const wildcard = await acm.send(new DescribeCertificateCommand({ CertificateArn: sandboxEnv("SANDBOX_WILDCARD_CERT_ARN") }));
    expect(wildcard.Certificate?.DomainName).toBe("*.sandbox.example.com");
    expect(wildcard.Certificate?.Status).toBe("ISSUED");

    const route53 = new Route53Client(adminConfig());
    const zone = await route53.send(new GetHostedZoneCommand({ Id: sandboxEnv("SANDBOX_HOSTED_ZONE_ID") }));
    expect(zone.HostedZone?.Name).toBe("sandbox.example.com.");
    expect(zone.HostedZone?.Config?.PrivateZone).toBe(false);
    expect(sandboxEnv("SANDBOX_DOMAIN")).toBe("sandbox.example.com");
  });

  it("has an isolated VPC (private subnets, no gateway) and a VPC whose private subnets have no NAT", async () => {
    const isolated = sandboxEnv("SANDBOX_ISOLATED_VPC_ID");
    const igws = async (vpcId: string) =>
      (await c.ec2.send(new DescribeInternetGatewaysCommand({ Filters: [{ Name: "attachment.vpc-id", Values: [vpcId] }] })))
        .InternetGateways ?? [];
    // The seed's own live NAT gateways: AWS lists a deleted one (State "deleted") for about an hour, and stacks in the
    // shared sandbox create NATs in the no-NAT VPC (tagged with their stack).
    const nats = async (vpcId: string) =>
      (
        (
          await c.ec2.send(
            new DescribeNatGatewaysCommand({
              Filter: [
                { Name: "vpc-id", Values: [vpcId] },
                { Name: "state", Values: ["pending", "available"] },
              ],
            }),
          )
        ).NatGateways ?? []
      ).filter((n) => !n.Tags?.some((t) => t.Key === STACK_TAG));
    const tables = async (vpcId: string) =>
      (await c.ec2.send(new DescribeRouteTablesCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))).RouteTables ?? [];
    const tableOf = (rts: RouteTable[], subnetId: string) => rts.find((rt) => rt.Associations?.some((a) => a.SubnetId === subnetId));

    expect(await igws(isolated)).toEqual([]);
    expect(await nats(isolated)).toEqual([]);
    const isoTables = await tables(isolated);
    const isoSubnets = sandboxEnv("SANDBOX_ISOLATED_SUBNETS").split(",");
    expect(isoSubnets).toHaveLength(2);
    for (const id of isoSubnets) expect(defaultRoute(tableOf(isoTables, id))).toBeUndefined();

    const nonat = sandboxEnv("SANDBOX_NONAT_VPC_ID");
    expect(await igws(nonat)).toHaveLength(1);
    expect(await nats(nonat)).toEqual([]);
    const nonatTables = await tables(nonat);
    for (const id of sandboxEnv("SANDBOX_NONAT_PUBLIC_SUBNETS").split(",")) {
      expect(defaultRoute(tableOf(nonatTables, id))?.GatewayId).toMatch(/^igw-/);
    }
    const nonatPrivate = sandboxEnv("SANDBOX_NONAT_PRIVATE_SUBNETS").split(",");
    expect(nonatPrivate).toHaveLength(2);
    for (const id of nonatPrivate) expect(defaultRoute(tableOf(nonatTables, id))).toBeUndefined();
  });
});

const defaultRoute = (rt: RouteTable | undefined) => rt?.Routes?.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
