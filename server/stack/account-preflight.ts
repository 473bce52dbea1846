import "server-only";
import type { PreflightLine } from "@/lib/preflight";
import type { StackSpec } from "@/lib/stack-spec";
import { serviceLinkedRoleExists } from "@/server/aws/iam";
import { ConsoleAwsError } from "@/server/aws/errors";
import { buildGraph, stackContext } from "./graph";
import { checkCertificate, preflightSpec } from "./preflight-network";

// The new-stack page's account preflight: before the plan, does this account have what the stack needs?
// Read calls only. Each check is a line with a tick or an actionable message.

/** The service-linked roles the stack's services use; AWS creates each on first use if the caller may. */
export const SERVICE_LINKED_ROLES = [
  { name: "AWSServiceRoleForECS", service: "ecs.amazonaws.com", what: "ECS (services behind a load balancer)" },
  { name: "AWSServiceRoleForElasticLoadBalancing", service: "elasticloadbalancing.amazonaws.com", what: "the load balancer" },
  {
    name: "AWSServiceRoleForApplicationAutoScaling_ECSService",
    service: "ecs.application-autoscaling.amazonaws.com",
    what: "worker auto scaling",
  },
  { name: "AWSServiceRoleForRDS", service: "rds.amazonaws.com", what: "RDS" },
] as const;

/** Resources whose names must be free for a new stack (the rest are found by the same names and would be taken over). */
const NAMED = ["cluster", "alb", "target-group", "rds", "role-execution", "role-task", "secret-db-password", "dns-namespace"];

const failed = (err: unknown) => (err instanceof ConsoleAwsError || err instanceof Error ? err.message : String(err));

export async function accountPreflight(spec: StackSpec): Promise<PreflightLine[]> {
  const lines: PreflightLine[] = [];

  const roles = await Promise.all(
    SERVICE_LINKED_ROLES.map(async (r): Promise<PreflightLine> => {
      try {
        return (await serviceLinkedRoleExists(spec.region, r.name))
          ? { key: `slr-${r.name}`, state: "ok", label: `Service-linked role ${r.name}`, detail: "exists" }
          : {
              key: `slr-${r.name}`,
              state: "todo",
              label: `Service-linked role ${r.name}`,
              detail: `not in this account yet: AWS creates it when the stack first uses ${r.what} (the console's policy allows iam:CreateServiceLinkedRole for ${r.service}).`,
            };
      } catch (err) {
        return { key: `slr-${r.name}`, state: "fail", label: `Service-linked role ${r.name}`, detail: failed(err) };
      }
    }),
  );
  lines.push(...roles);

  try {
    const ctx = await stackContext(spec);
    const nodes = buildGraph(spec).filter((n) => NAMED.includes(n.resource.key));
    const taken = (
      await Promise.all(
        nodes.map(async (n) => ((await n.resource.observe(ctx)) === undefined ? undefined : `${n.resource.kind} ${n.resource.name(ctx)}`)),
      )
    ).filter((x): x is string => Boolean(x));
    lines.push(
      taken.length
        ? {
            key: "names",
            state: "fail",
            label: "Names",
            detail: `${taken.join(", ")} exist${taken.length === 1 ? "s" : ""} already: pick another environment name, or use Adopt to take over a stack made elsewhere.`,
          }
        : { key: "names", state: "ok", label: "Names", detail: `every name for ${spec.env} is free` },
    );
  } catch (err) {
    lines.push({ key: "names", state: "fail", label: "Names", detail: failed(err) });
  }

  try {
    const network = await preflightSpec(spec);
    const messages = Object.entries(network).flatMap(([field, msgs]) => (field === "certificateArn" || field === "domainName" ? [] : msgs));
    lines.push(
      messages.length
        ? { key: "network", state: "fail", label: "Network and egress", detail: messages.join(" ") }
        : {
            key: "network",
            state: "ok",
            label: "Network and egress",
            detail:
              (spec.natGateways ?? "none") === "none"
                ? "the private subnets have a way out; the subnets span two or more AZs"
                : "the stack creates NAT gateways for the private subnets",
          },
    );
  } catch (err) {
    lines.push({ key: "network", state: "fail", label: "Network and egress", detail: failed(err) });
  }

  if (spec.certificateArn) {
    const cert = await checkCertificate(spec).catch((err: unknown) => ({ certificateArn: [failed(err)] }));
    const messages = Object.values(cert).flat();
    lines.push(
      messages.length
        ? { key: "certificate", state: "fail", label: "Certificate", detail: messages.join(" ") }
        : { key: "certificate", state: "ok", label: "Certificate", detail: `ISSUED and covers ${spec.domainName ?? ""}` },
    );
  }
  return lines;
}
