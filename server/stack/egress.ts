import "server-only";
import type { RouteTable, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";

// Does a Fargate task in this subnet get out? A task pulls its image, fetches its secrets and ships its logs over the
// network (AWS-RULES.md "Egress"); the stack's tasks run with assignPublicIp DISABLED, so a private subnet needs
// either a 0.0.0.0/0 route to a NAT gateway (or a transit gateway / NAT instance doing the same job), or interface
// endpoints for ECR (api + dkr), CloudWatch Logs and Secrets Manager plus the S3 gateway endpoint — and those reach
// ECR only, never Docker Hub. Pure: the caller reads the route tables and endpoints once for the whole VPC.

export type Egress =
  | { ok: true; via: string }
  | { ok: false; reason: "public-subnet" | "no-route" | "endpoints-without-registry" | "blackhole"; detail: string };

/** The route table that decides a subnet's traffic: its own association, else the VPC's main table. */
export function routeTableOf(subnetId: string, tables: RouteTable[]): RouteTable | undefined {
  return (
    tables.find((t) => (t.Associations ?? []).some((a) => a.SubnetId === subnetId)) ??
    tables.find((t) => (t.Associations ?? []).some((a) => a.Main))
  );
}

export function defaultRoute(table: RouteTable | undefined) {
  return (table?.Routes ?? []).find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
}

/** True when the subnet's table sends 0.0.0.0/0 to an internet gateway (AWS's definition of a public subnet). */
export function isPublicSubnet(subnetId: string, tables: RouteTable[]): boolean {
  const r = defaultRoute(routeTableOf(subnetId, tables));
  return Boolean(r && r.State !== "blackhole" && (r.GatewayId ?? "").startsWith("igw-"));
}

/** The endpoints a private subnet needs to run Fargate tasks from ECR without a NAT (service name suffixes). */
export const REQUIRED_ENDPOINTS = ["ecr.api", "ecr.dkr", "s3", "logs", "secretsmanager"] as const;

/** An image Fargate pulls from ECR in this region (reachable through the ECR endpoints). */
export function isEcrImage(image: string, region: string): boolean {
  return new RegExp(`^\\d{12}\\.dkr\\.ecr\\.${region.replace(/-/g, "\\-")}\\.amazonaws\\.com/`).test(image);
}

export function egressOf(
  subnet: Pick<Subnet, "SubnetId">,
  tables: RouteTable[],
  endpoints: VpcEndpoint[],
  region: string,
  images: string[],
): Egress {
  const id = subnet.SubnetId ?? "";
  const table = routeTableOf(id, tables);
  const route = defaultRoute(table);
  if (route && route.State === "blackhole")
    return { ok: false, reason: "blackhole", detail: `its 0.0.0.0/0 route points at something that no longer exists (blackhole)` };
  if (route?.NatGatewayId) return { ok: true, via: `NAT gateway ${route.NatGatewayId}` };
  if (route?.TransitGatewayId) return { ok: true, via: `transit gateway ${route.TransitGatewayId}` };
  if (route?.NetworkInterfaceId || route?.InstanceId)
    return { ok: true, via: `NAT instance ${route.InstanceId ?? route.NetworkInterfaceId}` };
  if ((route?.GatewayId ?? "").startsWith("igw-"))
    return {
      ok: false,
      reason: "public-subnet",
      detail: `it is a public subnet (0.0.0.0/0 → ${route?.GatewayId}); the stack's tasks have no public IP, so they cannot use an internet gateway`,
    };
  const available = endpoints.filter((e) => e.State === undefined || e.State.toLowerCase() === "available");
  const have = (suffix: string) => available.some((e) => (e.ServiceName ?? "").endsWith(`.${suffix}`));
  const missing = REQUIRED_ENDPOINTS.filter((s) => !have(s));
  if (missing.length === 0) {
    const foreign = images.filter((i) => !isEcrImage(i, region));
    if (foreign.length === 0) return { ok: true, via: "VPC endpoints (ECR, S3, CloudWatch Logs, Secrets Manager)" };
    return {
      ok: false,
      reason: "endpoints-without-registry",
      detail: `it has VPC endpoints but no route to the internet, and ${foreign.join(", ")} is not in ECR (endpoints never reach Docker Hub); copy the image into ECR in ${region}`,
    };
  }
  return {
    ok: false,
    reason: "no-route",
    detail: `it has no 0.0.0.0/0 route to a NAT gateway${
      missing.length < REQUIRED_ENDPOINTS.length ? ` and lacks the VPC endpoints ${missing.join(", ")}` : " and no VPC endpoints"
    }`,
  };
}
