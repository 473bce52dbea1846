// What the VPC says about a task's network (issue 10 items 1 and 4), read from moto with a short cache: the subnet's
// VPC and route table (explicit association, else the VPC's main table), its default route (NAT gateway or internet
// gateway), the VPC's endpoints, security group ingress rules, NAT gateways' Elastic IPs.
import {
  DescribeNatGatewaysCommand,
  DescribeRouteTablesCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
  type IpPermission,
  type Route,
} from "@aws-sdk/client-ec2";

export type DefaultRoute = { kind: "nat"; natGatewayId: string } | { kind: "igw"; gatewayId: string } | undefined;

export interface SubnetFacts {
  subnetId: string;
  vpcId: string;
  cidr: string;
  defaultRoute: DefaultRoute;
}

const TTL_MS = 1000;

export class VpcFacts {
  private cache = new Map<string, { at: number; value: Promise<unknown> }>();
  constructor(private ec2: EC2Client) {}

  private cached<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.value as Promise<T>;
    const value = load();
    value.catch(() => this.cache.delete(key));
    this.cache.set(key, { at: Date.now(), value });
    return value;
  }

  subnet(subnetId: string): Promise<SubnetFacts | undefined> {
    return this.cached(`subnet:${subnetId}`, async () => {
      const sub = (await this.ec2.send(new DescribeSubnetsCommand({ SubnetIds: [subnetId] })).catch(() => undefined))?.Subnets?.[0];
      if (!sub?.VpcId) return undefined;
      const routes = await this.routesOf(sub.VpcId, subnetId);
      return { subnetId, vpcId: sub.VpcId, cidr: sub.CidrBlock ?? "", defaultRoute: defaultRouteOf(routes) };
    });
  }

  private async routesOf(vpcId: string, subnetId: string): Promise<Route[]> {
    const explicit = await this.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnetId] }] }),
    );
    const table =
      explicit.RouteTables?.[0] ??
      (
        await this.ec2.send(
          new DescribeRouteTablesCommand({
            Filters: [
              { Name: "vpc-id", Values: [vpcId] },
              { Name: "association.main", Values: ["true"] },
            ],
          }),
        )
      ).RouteTables?.[0];
    return table?.Routes ?? [];
  }

  /** Service names of the VPC's endpoints that are available, e.g. `com.amazonaws.us-east-1.ecr.dkr`. */
  endpoints(vpcId: string): Promise<Set<string>> {
    return this.cached(`endpoints:${vpcId}`, async () => {
      const r = await this.ec2
        .send(new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-id", Values: [vpcId] }] }))
        .catch(() => undefined);
      return new Set(
        (r?.VpcEndpoints ?? []).filter((e) => e.State === undefined || /available/i.test(e.State)).map((e) => e.ServiceName ?? ""),
      );
    });
  }

  ingress(groupIds: string[]): Promise<IpPermission[]> {
    if (groupIds.length === 0) return Promise.resolve([]);
    return this.cached(`sg:${[...groupIds].sort().join(",")}`, async () => {
      const r = await this.ec2.send(new DescribeSecurityGroupsCommand({ GroupIds: groupIds })).catch(() => undefined);
      return (r?.SecurityGroups ?? []).flatMap((g) => g.IpPermissions ?? []);
    });
  }

  /** The VPC's default security group (what a load balancer created without groups gets). */
  defaultGroup(vpcId: string): Promise<string | undefined> {
    return this.cached(`default-sg:${vpcId}`, async () => {
      const r = await this.ec2.send(
        new DescribeSecurityGroupsCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "group-name", Values: ["default"] },
          ],
        }),
      );
      return r.SecurityGroups?.[0]?.GroupId;
    });
  }

  natPublicIp(natGatewayId: string): Promise<string | undefined> {
    return this.cached(`nat:${natGatewayId}`, async () => {
      const r = await this.ec2.send(new DescribeNatGatewaysCommand({ NatGatewayIds: [natGatewayId] })).catch(() => undefined);
      const nat = r?.NatGateways?.[0];
      if (!nat || nat.State === "deleted" || nat.State === "deleting" || nat.State === "failed") return undefined;
      return nat.NatGatewayAddresses?.[0]?.PublicIp;
    });
  }
}

function defaultRouteOf(routes: Route[]): DefaultRoute {
  const r = routes.find((x) => x.DestinationCidrBlock === "0.0.0.0/0" && x.State !== "blackhole");
  if (r?.NatGatewayId) return { kind: "nat", natGatewayId: r.NatGatewayId };
  if (r?.GatewayId?.startsWith("igw-")) return { kind: "igw", gatewayId: r.GatewayId };
  return undefined;
}

const ipNum = (ip: string) => ip.split(".").reduce((n, o) => ((n << 8) | (Number(o) & 255)) >>> 0, 0);

export function cidrCovers(cidr: string, ip: string): boolean {
  const [base = "", bitsStr = "32"] = cidr.split("/");
  const bits = Number(bitsStr);
  if (bits === 0) return true;
  const mask = bits >= 32 ? 0xffffffff : (~((1 << (32 - bits)) - 1) >>> 0) >>> 0;
  return (ipNum(base) & mask) >>> 0 === (ipNum(ip) & mask) >>> 0;
}

/** Does any ingress rule admit TCP `port` from a source with these security groups (or from this IP)? */
export function admits(rules: IpPermission[], port: number, source: { groups: string[]; ip?: string }): boolean {
  return rules.some((r) => {
    const proto = r.IpProtocol ?? "";
    const portOk = proto === "-1" || ((proto === "tcp" || proto === "6") && (r.FromPort ?? 0) <= port && port <= (r.ToPort ?? 65535));
    if (!portOk) return false;
    if ((r.UserIdGroupPairs ?? []).some((p) => p.GroupId && source.groups.includes(p.GroupId))) return true;
    return source.ip !== undefined && (r.IpRanges ?? []).some((x) => x.CidrIp !== undefined && cidrCovers(x.CidrIp, source.ip ?? ""));
  });
}
