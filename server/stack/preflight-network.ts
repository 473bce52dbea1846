import "server-only";
import type { Subnet } from "@aws-sdk/client-ec2";
import { certificateCovers } from "@/lib/domain";
import type { StackSpec } from "@/lib/stack-spec";
import { describeCertificate } from "@/server/aws/acm";
import { describeRouteTables, describeSubnetsById, describeVpcEndpoints } from "@/server/aws/ec2";
import { egressOf, isPublicSubnet } from "./egress";

// What the plan checks against the account before anything is created (read calls only): the subnets exist, sit in
// the chosen VPC and span ≥ 2 AZs; the private subnets have egress (or the stack creates NAT gateways for them); an
// internet-facing ALB and the NAT gateways get public subnets; the certificate is ISSUED and covers the domain.
// Each problem is a field message that says what to do.

export type FieldErrors = Record<string, string[]>;

const add = (errors: FieldErrors, field: string, message: string) => void (errors[field] ??= []).push(message);

const azOf = (byId: Map<string, Subnet>, id: string) => byId.get(id)?.AvailabilityZone ?? "?";

export async function checkNetwork(spec: StackSpec, subnets: Subnet[]): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const byId = new Map(subnets.map((s) => [s.SubnetId ?? "", s]));
  for (const field of ["privateSubnetIds", "publicSubnetIds"] as const) {
    const list = spec[field];
    const missing = list.filter((id) => !byId.has(id));
    const otherVpc = list.filter((id) => byId.get(id) && byId.get(id)?.VpcId !== spec.vpcId);
    const azs = new Set(list.map((id) => byId.get(id)?.AvailabilityZone).filter(Boolean));
    if (missing.length) add(errors, field, `${missing.join(", ")} not found in ${spec.region}`);
    else if (otherVpc.length) add(errors, field, `${otherVpc.join(", ")} belong to another VPC than ${spec.vpcId}`);
    else if (azs.size < 2)
      add(
        errors,
        field,
        `These subnets are all in ${[...azs][0] ?? "one Availability Zone"}; pick subnets in at least two Availability Zones`,
      );
  }
  if (Object.keys(errors).length) return errors;

  const [tables, endpoints] = await Promise.all([
    describeRouteTables(spec.region, spec.vpcId),
    describeVpcEndpoints(spec.region, spec.vpcId),
  ]);
  const nat = spec.natGateways ?? "none";
  const images = [...new Set([spec.prefectImage, spec.workerImage])];

  // Egress of the private subnets (where every task of the stack runs).
  const noEgress: string[] = [];
  for (const id of spec.privateSubnetIds) {
    const e = egressOf({ SubnetId: id }, tables, endpoints, spec.region, images);
    if (e.ok) {
      if (nat !== "none")
        add(
          errors,
          "natGateways",
          `${id} already has a way out (${e.via}); the stack's NAT gateway would cost ~$33/month for nothing. Set NAT gateways to none.`,
        );
      continue;
    }
    if (e.reason === "public-subnet") add(errors, "privateSubnetIds", `${id} (${azOf(byId, id)}): ${e.detail}. Pick private subnets.`);
    else if (nat === "none" || e.reason === "endpoints-without-registry") noEgress.push(`${id} (${azOf(byId, id)}): ${e.detail}`);
  }
  if (noEgress.length) {
    add(
      errors,
      "privateSubnetIds",
      `No way out to the internet from ${noEgress.join("; ")}. Fargate tasks there cannot pull the image, read their secrets or write logs (CannotPullContainerError after a long wait).`,
    );
    add(
      errors,
      "natGateways",
      "Let the stack create a NAT gateway (one shared, or one per Availability Zone; ~$33/month each plus data), or pick private subnets that route 0.0.0.0/0 to a NAT gateway.",
    );
  }

  // Subnets that must be public: the internet-facing load balancer's, and where the NAT gateways go.
  const notPublic = spec.publicSubnetIds.filter((id) => !isPublicSubnet(id, tables));
  if (spec.albScheme === "internet-facing" && notPublic.length)
    add(
      errors,
      "publicSubnetIds",
      `${notPublic.join(", ")} ha${notPublic.length === 1 ? "s" : "ve"} no 0.0.0.0/0 route to an internet gateway: an internet-facing load balancer there is unreachable from the internet. Pick public subnets.`,
    );
  else if (nat !== "none" && notPublic.length)
    add(
      errors,
      "publicSubnetIds",
      `NAT gateways go in public subnets, and ${notPublic.join(", ")} ha${notPublic.length === 1 ? "s" : "ve"} no route to an internet gateway. Pick public subnets.`,
    );
  if (nat === "per-az") {
    const publicAzList = spec.publicSubnetIds.map((id) => azOf(byId, id));
    const publicAzs = new Set(publicAzList);
    if (publicAzs.size < publicAzList.length)
      add(errors, "natGateways", "One NAT gateway per AZ goes in each public subnet: pick one public subnet per Availability Zone.");
    const uncovered = [...new Set(spec.privateSubnetIds.map((id) => azOf(byId, id)))].filter((az) => !publicAzs.has(az));
    if (uncovered.length)
      add(
        errors,
        "natGateways",
        `One NAT gateway per AZ needs a public subnet in ${uncovered.join(", ")}; add one to the public subnets or use one shared NAT gateway.`,
      );
  }
  return errors;
}

/** The certificate exists in the stack's region, is ISSUED, and covers the domain (ACM's wildcard rules). */
export async function checkCertificate(spec: Pick<StackSpec, "region" | "certificateArn" | "domainName">): Promise<FieldErrors> {
  if (!spec.certificateArn) return {};
  const errors: FieldErrors = {};
  const cert = await describeCertificate(spec.region, spec.certificateArn).catch((err: unknown) => {
    add(errors, "certificateArn", `The certificate could not be read: ${(err as Error).message}`);
    return undefined;
  });
  if (!cert) return errors;
  if (cert.status !== "ISSUED")
    add(
      errors,
      "certificateArn",
      `The certificate is ${cert.status.toLowerCase().replace(/_/g, " ")}, not issued: an HTTPS listener needs an ISSUED certificate (finish its DNS validation in ACM).`,
    );
  if (spec.domainName && !certificateCovers(cert.names, spec.domainName))
    add(errors, "domainName", `The certificate covers ${cert.names.join(", ") || "no names"}, not ${spec.domainName}.`);
  return errors;
}

/** Both checks, merged: what validateNetwork reports before any plan. */
export async function preflightSpec(spec: StackSpec): Promise<FieldErrors> {
  const ids = [...new Set([...spec.privateSubnetIds, ...spec.publicSubnetIds])];
  const subnets = await describeSubnetsById(spec.region, ids);
  const [network, cert] = await Promise.all([checkNetwork(spec, subnets), checkCertificate(spec)]);
  const merged: FieldErrors = { ...network };
  for (const [k, v] of Object.entries(cert)) (merged[k] ??= []).push(...v);
  return merged;
}
