import "server-only";
import type { IpPermission, SecurityGroup } from "@aws-sdk/client-ec2";
import { STACK_TAG, stackTags } from "@/lib/names";
import { ConsoleAwsError } from "@/server/aws/errors";
import {
  authorizeIngress,
  countNetworkInterfacesInGroup,
  createSecurityGroup,
  deleteSecurityGroup,
  findSecurityGroup,
  revokeIngress,
  tagSecurityGroup,
} from "@/server/aws/ec2";
import { defineResource, diffOf, ref, RetryableError, setChange, UNKNOWN, type Refs, type StackContext } from "../types";

// The three security groups of the seed, with exactly its ingress rules:
//   prefect-alb-<env>       80 + 443 from the allowed CIDRs
//   prefect-ecs-tasks-<env> 4200 from the ALB security group, and from itself (the worker calls the server through
//                           Cloud Map, task to task: docs/provisioning.md "The worker's path")
//   prefect-rds-<env>       5432 from the tasks security group only
// Egress stays AWS's default (all outbound), as in the seed. Rules are compared as normalised strings
// ("tcp:4200:sg-…", "tcp:80:10.0.0.0/8"); an update authorises the missing ones and revokes the extra ones.

interface SgDesired {
  GroupName: string;
  Description: string;
  VpcId: string;
  Tags: Record<string, string>;
  IpPermissions: IpPermission[];
}

type Rule = string;

/** A rule source meaning "this group itself" (its id is known only once it exists). */
export const SELF = "self";
const resolveSelf = (perms: IpPermission[], groupId: string | undefined): IpPermission[] =>
  perms.map((p) => ({
    ...p,
    ...(p.UserIdGroupPairs
      ? { UserIdGroupPairs: p.UserIdGroupPairs.map((g) => (g.GroupId === SELF ? { ...g, GroupId: groupId ?? SELF } : g)) }
      : {}),
  }));

export function rulesOf(perms: IpPermission[] | undefined): Rule[] {
  const out: Rule[] = [];
  for (const p of perms ?? []) {
    const head = `${p.IpProtocol}:${p.FromPort ?? "*"}${p.ToPort !== p.FromPort ? `-${p.ToPort}` : ""}`;
    for (const r of p.IpRanges ?? []) out.push(`${head}:${r.CidrIp}`);
    for (const g of p.UserIdGroupPairs ?? []) out.push(`${head}:${g.GroupId}`);
  }
  return [...new Set(out)].sort();
}

function permsOf(rules: Rule[], descriptions: Record<string, string>): IpPermission[] {
  return rules.map((r) => {
    const [proto, ports, source] = r.split(":") as [string, string, string];
    const [from, to] = ports.split("-").map(Number);
    const base = { IpProtocol: proto, FromPort: from, ToPort: to ?? from };
    const Description = descriptions[ports.split("-")[0] ?? ""];
    return source.startsWith("sg-") || source === SELF
      ? { ...base, UserIdGroupPairs: [{ GroupId: source, Description }] }
      : { ...base, IpRanges: [{ CidrIp: source, Description }] };
  });
}

const DESCRIPTIONS: Record<string, string> = {
  "80": "HTTP",
  "443": "HTTPS",
  "4200": "Prefect API from the ALB and the worker",
  "5432": "PostgreSQL from ECS",
};

/** The one tag that claims an adopted group; its other tags (Name, Terraform's default_tags) stay the owner's. */
const claimTag = (d: SgDesired): Record<string, string> => ({ [STACK_TAG]: d.Tags[STACK_TAG] ?? "" });

/** An existing group without this stack's tag (adopted): the plan says it will be tagged, as its own change. */
function claimChange(d: SgDesired, o: SecurityGroup) {
  const have = o.Tags?.find((t) => t.Key === STACK_TAG)?.Value;
  const want = d.Tags[STACK_TAG];
  return have === want ? undefined : { field: `tag ${STACK_TAG}`, from: have ?? "(none)", to: want ?? "(none)" };
}

function securityGroup(opts: {
  key: string;
  name: (ctx: StackContext) => string;
  description: string;
  component: string;
  dependsOn: string[];
  rules: (ctx: StackContext, refs: Refs) => { port: number; sources: string[] }[];
}) {
  return defineResource<SgDesired, SecurityGroup>({
    key: opts.key,
    kind: "security group",
    group: "network",
    dependsOn: opts.dependsOn,
    name: opts.name,
    desired: (ctx, refs) => ({
      GroupName: opts.name(ctx),
      Description: opts.description,
      VpcId: ctx.spec.vpcId,
      Tags: { Name: opts.name(ctx), ...stackTags(ctx.env, opts.component) },
      IpPermissions: permsOf(
        opts.rules(ctx, refs).flatMap((r) => r.sources.map((s) => `tcp:${r.port}:${s}`)),
        DESCRIPTIONS,
      ),
    }),
    observe: (ctx) => findSecurityGroup(ctx.region, ctx.spec.vpcId, opts.name(ctx)),
    diff: (d, o) => {
      const want = rulesOf(resolveSelf(d.IpPermissions, o.GroupId));
      const have = rulesOf(o.IpPermissions);
      // While a source group is still to be created its id is unknown: a rule from some group on that port counts.
      const unknownOk = want.every(
        (w) => !w.endsWith(UNKNOWN) || have.some((h) => h.startsWith(w.slice(0, w.length - UNKNOWN.length)) && h.includes(":sg-")),
      );
      const claim = claimChange(d, o);
      if (want.some((w) => w.endsWith(UNKNOWN)) && unknownOk) return diffOf([claim]);
      return diffOf([claim, setChange("ingress", want, have)]);
    },
    create: async (ctx, d) => {
      const existing = await findSecurityGroup(ctx.region, d.VpcId, d.GroupName);
      const id =
        existing?.GroupId ??
        (await createSecurityGroup(ctx.region, { name: d.GroupName, description: d.Description, vpcId: d.VpcId, tags: d.Tags }));
      await authorizeIngress(ctx.region, id, d.GroupName, resolveSelf(d.IpPermissions, id));
    },
    update: async (ctx, d, o) => {
      // A group made outside the console (the Terraform walkthrough's) is tagged first: the console's policy lets it
      // change rules only on groups carrying the stack tag.
      if (claimChange(d, o)) await tagSecurityGroup(ctx.region, o.GroupId ?? "", d.GroupName, claimTag(d));
      const want = rulesOf(resolveSelf(d.IpPermissions, o.GroupId));
      const have = rulesOf(o.IpPermissions);
      await authorizeIngress(
        ctx.region,
        o.GroupId ?? "",
        d.GroupName,
        permsOf(
          want.filter((r) => !have.includes(r)),
          DESCRIPTIONS,
        ),
      );
      await revokeIngress(
        ctx.region,
        o.GroupId ?? "",
        d.GroupName,
        permsOf(
          have.filter((r) => !want.includes(r)),
          {},
        ),
      );
    },
    // AWS refuses (DependencyViolation) while a network interface (a stopped Fargate task's lingers a while) or another
    // group's rule uses the group: "in use: waiting", retried with backoff (bounded by the run's attempts).
    delete: async (ctx, o) => {
      try {
        await deleteSecurityGroup(ctx.region, o.GroupId ?? "", o.GroupName ?? opts.name(ctx));
      } catch (err) {
        if (!(err instanceof ConsoleAwsError && err.kind === "in-use")) throw err;
        const enis = await countNetworkInterfacesInGroup(ctx.region, o.GroupId ?? "").catch(() => 0);
        throw new RetryableError(
          enis > 0
            ? `${opts.name(ctx)} is in use: waiting for ${enis} network interface${enis === 1 ? "" : "s"} of stopped tasks to be released`
            : `${opts.name(ctx)} is in use: waiting for the groups that reference it to go`,
        );
      }
    },
    ready: () => true,
    outputs: (o) => ({ groupId: o.GroupId ?? "" }),
    status: (o) => `${rulesOf(o.IpPermissions).length} ingress rules`,
  });
}

export const albSecurityGroup = securityGroup({
  key: "sg-alb",
  name: (ctx) => ctx.names.albSecurityGroup,
  description: "Security group for Prefect ALB",
  component: "alb",
  dependsOn: [],
  rules: (ctx) => [
    { port: 80, sources: ctx.spec.allowedCidrs },
    { port: 443, sources: ctx.spec.allowedCidrs },
  ],
});

export const tasksSecurityGroup = securityGroup({
  key: "sg-tasks",
  name: (ctx) => ctx.names.tasksSecurityGroup,
  description: "Security group for Prefect ECS tasks",
  component: "ecs",
  dependsOn: ["sg-alb"],
  rules: (_ctx, refs) => [{ port: 4200, sources: [ref(refs, "sg-alb", "groupId"), SELF] }],
});

export const rdsSecurityGroup = securityGroup({
  key: "sg-rds",
  name: (ctx) => ctx.names.dbSecurityGroup,
  description: "Security group for Prefect RDS",
  component: "rds",
  dependsOn: ["sg-tasks"],
  rules: (_ctx, refs) => [{ port: 5432, sources: [ref(refs, "sg-tasks", "groupId")] }],
});
