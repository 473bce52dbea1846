import { describe, expect, it } from "vitest";
import { DescribeCertificateCommand, ACMClient } from "@aws-sdk/client-acm";
import { DescribeRouteTablesCommand, DescribeSubnetsCommand, DescribeVpcAttributeCommand, DescribeVpcsCommand } from "@aws-sdk/client-ec2";
import { sandboxClients, sandboxEnv } from "@/test/fixtures/sandbox";

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

    const acm = new ACMClient({ region: sandboxEnv("AWS_REGION"), endpoint: sandboxEnv("AWS_ENDPOINT_URL") });
    const cert = await acm.send(new DescribeCertificateCommand({ CertificateArn: sandboxEnv("SANDBOX_CERT_ARN") }));
    expect(cert.Certificate?.DomainName).toBe("prefect.sandbox.example.com");
  });
});
