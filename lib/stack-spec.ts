// Isomorphic: the StackSpec — everything the provisioning form asks for, validated the same way in the browser and
// on the server. Defaults are the seed's values (../shared/seed/ecs-production-guide.txt, variables.tf and the
// resources' literals); every message says how to fix the input.
import { z } from "zod";
import { AWS_OWNED_SUFFIX, DOMAIN_NAME } from "./domain";
import { ENV_NAME_PATTERN } from "./names";
import { fargatePairHint, FARGATE_CPUS, isValidFargatePair } from "./fargate";
import { SPEC_LIMITS as L, type Range } from "./stack-limits";
import { PREFECT_IMAGE } from "./versions";

/** Regions the console knows prices for (lib/cost.ts); the stack can live in any of them. */
export const REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-north-1",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-northeast-1",
  "ap-south-1",
  "sa-east-1",
] as const;
export type Region = (typeof REGIONS)[number];

/** Burstable and general-purpose classes that run PostgreSQL 15 (the ones lib/cost.ts has prices for). */
export const DB_INSTANCE_CLASSES = [
  "db.t3.micro",
  "db.t3.small",
  "db.t3.medium",
  "db.t3.large",
  "db.t4g.micro",
  "db.t4g.small",
  "db.t4g.medium",
  "db.t4g.large",
  "db.m5.large",
  "db.m5.xlarge",
  "db.m6g.large",
  "db.m6g.xlarge",
  "db.m7g.large",
  "db.r6g.large",
] as const;

/**
 * One Prefect API server unless the stack is highly available: several servers need Redis for messaging and a
 * separate background-services process (`prefect server start --no-services` + `prefect server services start`),
 * per Prefect's "How to scale self-hosted Prefect" guide (AWS-RULES.md, "Prefect on top").
 */
export const MAX_SERVER_COUNT = L.serverDesiredCount.max;
export const SERVER_COUNT_WHY =
  "more than one Prefect server needs Redis and a separate background-services process (Prefect's scaling guide); high availability is not offered yet";

export const WORKER_POOL_TYPES = ["ecs", "process"] as const;

/**
 * NAT gateways the stack creates for private subnets without egress: none (the VPC has its own way out), one shared
 * by every AZ (cheaper; the AZ it lives in is a single point of failure for egress), or one per AZ (AWS's advice).
 */
export const NAT_GATEWAY_OPTIONS = ["none", "single", "per-az"] as const;
export type NatGatewayOption = (typeof NAT_GATEWAY_OPTIONS)[number];

const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
// Docker reference: [registry[:port]/]name[:tag][@sha256:digest]; lower-case repository path components.
const IMAGE =
  /^(?:(?:(?:[a-zA-Z0-9-]+\.)+[a-zA-Z0-9-]+|localhost)(?::[0-9]+)?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const ACM_ARN = /^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
// Work pool names become CLI arguments and URL path segments: keep them to letters, digits, `-` and `_`.
const POOL_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/** True for an IPv4 CIDR such as 10.0.0.0/8 whose address has no bits set beyond the prefix. */
export function isIpv4Cidr(value: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(value);
  if (!m) return false;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255 || Number.isNaN(o)) || prefix > 32) return false;
  if (m.slice(1, 5).some((o) => o.length > 1 && o.startsWith("0"))) return false;
  const addr = octets.reduce((a, o) => a * 256 + o, 0);
  const hostBits = 32 - prefix;
  return hostBits === 0 || addr % 2 ** hostBits === 0;
}

const int = (label: string, { min, max }: Range) =>
  z
    .number({ error: `${label} must be a number` })
    .int({ error: `${label} must be a whole number` })
    .min(min, { error: `${label} must be at least ${min}` })
    .max(max, { error: `${label} must be at most ${max}` });

const bool = (label: string) => z.boolean({ error: `${label} must be on or off` });

const fargateCpu = (label: string) =>
  z
    .number({ error: `${label} must be a number` })
    .refine((v) => FARGATE_CPUS.includes(v), { error: `${label} must be one of ${FARGATE_CPUS.join(", ")} (Fargate CPU units)` });

const subnetList = (label: string) =>
  z
    .array(z.string({ error: "Each subnet must be a subnet ID" }).regex(SUBNET_ID, { error: "Subnet IDs look like subnet-0abc1234" }), {
      error: `Pick at least two ${label} subnets`,
    })
    .min(2, { error: `Pick at least two ${label} subnets in different Availability Zones` })
    .max(16, { error: `Pick at most 16 ${label} subnets` })
    .refine((a) => new Set(a).size === a.length, { error: "Each subnet may be picked once" });

export const stackSpecSchema = z
  .object({
    env: z
      .string({ error: "Environment name is required" })
      .min(2, { error: "Environment name needs at least 2 characters" })
      .max(20, { error: "Environment name may have at most 20 characters (AWS name limits: ALB and target group names ≤ 32)" })
      // RDS refuses an identifier with "--" (prefect-<env>): say so, rather than the general pattern's message.
      .refine((v) => !v.includes("--"), {
        error: 'No two hyphens in a row: RDS refuses the database name prefect-<env> with "--"',
        abort: true,
      })
      .regex(ENV_NAME_PATTERN, {
        error: "Use lower-case letters, digits and hyphens, starting with a letter and not ending with a hyphen (e.g. production)",
      }),
    region: z.enum(REGIONS, { error: `Region must be one of ${REGIONS.join(", ")}` }),
    vpcId: z.string({ error: "Pick a VPC from the list" }).regex(VPC_ID, { error: "Pick a VPC (IDs look like vpc-0abc1234)" }),
    privateSubnetIds: subnetList("private"),
    publicSubnetIds: subnetList("public"),
    allowedCidrs: z
      .array(
        z
          .string({ error: "Each CIDR must be text" })
          .max(18, { error: "A CIDR is at most 18 characters (e.g. 10.0.0.0/8)" })
          .refine(isIpv4Cidr, { error: "Use an IPv4 CIDR with no host bits set, e.g. 10.0.0.0/8 or 203.0.113.7/32" }),
        {
          error: "Allowed CIDRs must be a list",
        },
      )
      .min(1, { error: "Allow at least one CIDR to reach the load balancer (e.g. 10.0.0.0/8)" })
      .max(20, { error: "At most 20 CIDRs (each becomes two security group rules; the default quota is 60 rules)" }),
    albScheme: z.enum(["internal", "internet-facing"], { error: "Load balancer is internal or internet-facing" }),
    certificateArn: z
      .string({ error: "Certificate must be an ACM certificate ARN" })
      .regex(ACM_ARN, {
        error: "Use an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>) or leave it empty for HTTP only",
      })
      .optional(),
    domainName: z
      .string({ error: "Domain name must be text" })
      .max(253, { error: "A domain name is at most 253 characters" })
      .regex(DOMAIN_NAME, { error: "Use a lower-case host name such as prefect.example.com" })
      .refine((v) => !AWS_OWNED_SUFFIX.test(v), {
        error: "Use a name of your own: no certificate can cover the load balancer's amazonaws.com name",
      })
      .optional(),
    natGateways: z
      .enum(NAT_GATEWAY_OPTIONS, { error: "NAT gateways: none, single (one shared) or per-az (one per Availability Zone)" })
      .default("none"),
    prefectImage: z
      .string({ error: "Prefect image is required" })
      .min(1, { error: `Prefect image is required (e.g. ${PREFECT_IMAGE})` })
      .max(255, { error: "Image references are at most 255 characters" })
      .regex(IMAGE, { error: `Use a Docker image reference such as ${PREFECT_IMAGE}` }),
    serverCpu: fargateCpu("Server CPU"),
    serverMemory: int("Server memory", L.serverMemory),
    serverDesiredCount: z
      .number({ error: "Server task count must be a number" })
      .refine((v): boolean => v === MAX_SERVER_COUNT, { error: `Server task count must be ${MAX_SERVER_COUNT}: ${SERVER_COUNT_WHY}` }),
    dbInstanceClass: z.enum(DB_INSTANCE_CLASSES, { error: `DB instance class must be one of ${DB_INSTANCE_CLASSES.join(", ")}` }),
    dbAllocatedStorage: int("DB storage (GB)", L.dbAllocatedStorage),
    dbMaxAllocatedStorage: int("DB max storage (GB)", L.dbMaxAllocatedStorage),
    dbMultiAz: bool("Multi-AZ"),
    dbDeletionProtection: bool("Deletion protection"),
    // How a change to class, storage or Multi-AZ reaches an existing database: now (a short outage for class and
    // Multi-AZ changes) or in its next maintenance window, pending until then. Specs stored before this existed apply now.
    dbApplyImmediately: bool("Apply database changes now").default(true),
    dbBackupRetentionDays: int("Backup retention (days)", L.dbBackupRetentionDays),
    workerPoolName: z
      .string({ error: "Work pool name is required" })
      .regex(POOL_NAME, { error: "Work pool names use letters, digits, - and _ (at most 63, e.g. production)" })
      .refine((v) => v !== "default", { error: '"default" is the process pool the console always creates; pick another name' }),
    workerPoolType: z.enum(WORKER_POOL_TYPES, { error: "Worker type is ecs or process" }),
    workerImage: z
      .string({ error: "Worker image is required" })
      .min(1, { error: "Worker image is required" })
      .max(255, { error: "Image references are at most 255 characters" })
      .regex(IMAGE, { error: `Use a Docker image reference such as ${PREFECT_IMAGE}` }),
    workerCpu: fargateCpu("Worker CPU"),
    workerMemory: int("Worker memory", L.workerMemory),
    workerMinCount: int("Worker minimum", L.workerMinCount),
    workerDesiredCount: int("Worker desired count", L.workerDesiredCount),
    workerMaxCount: int("Worker maximum", L.workerMaxCount),
    workerCpuTarget: int("Worker CPU target (%)", L.workerCpuTarget),
    cpuAlarmThreshold: int("CPU alarm threshold (%)", L.cpuAlarmThreshold),
    snsTopicArn: z
      .string({ error: "SNS topic must be an ARN" })
      .regex(SNS_ARN, { error: "Use an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>) or leave it empty" })
      .optional(),
    basicAuth: bool("Basic auth"),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (FARGATE_CPUS.includes(s.serverCpu) && !isValidFargatePair(s.serverCpu, s.serverMemory))
      ctx.addIssue({ code: "custom", path: ["serverMemory"], message: fargatePairHint(s.serverCpu) });
    if (FARGATE_CPUS.includes(s.workerCpu) && !isValidFargatePair(s.workerCpu, s.workerMemory))
      ctx.addIssue({ code: "custom", path: ["workerMemory"], message: fargatePairHint(s.workerCpu) });
    if (s.workerMinCount > s.workerMaxCount)
      ctx.addIssue({ code: "custom", path: ["workerMinCount"], message: "Worker minimum must not exceed the maximum" });
    if (s.workerDesiredCount < s.workerMinCount || s.workerDesiredCount > s.workerMaxCount)
      ctx.addIssue({
        code: "custom",
        path: ["workerDesiredCount"],
        message: `Worker desired count must be between the minimum (${s.workerMinCount}) and maximum (${s.workerMaxCount})`,
      });
    // RDS: MaxAllocatedStorage enables storage autoscaling and must be ≥ 10 % above the allocated storage; 0 = off.
    if (s.dbMaxAllocatedStorage !== 0 && s.dbMaxAllocatedStorage < Math.ceil((s.dbAllocatedStorage * 11) / 10))
      ctx.addIssue({
        code: "custom",
        path: ["dbMaxAllocatedStorage"],
        message: `Max storage must be 0 (no autoscaling) or at least ${Math.ceil((s.dbAllocatedStorage * 11) / 10)} GB (10 % above the allocated storage)`,
      });
    if (s.certificateArn && !s.domainName)
      ctx.addIssue({
        code: "custom",
        path: ["domainName"],
        message:
          "HTTPS needs a domain name the certificate covers (e.g. prefect.example.com): ACM never issues certificates for the load balancer's own name",
      });
    if (s.certificateArn && s.certificateArn.split(":")[3] !== s.region)
      ctx.addIssue({ code: "custom", path: ["certificateArn"], message: `The certificate must be in the stack's region (${s.region})` });
    if (s.snsTopicArn && s.snsTopicArn.split(":")[3] !== s.region)
      ctx.addIssue({ code: "custom", path: ["snsTopicArn"], message: `The SNS topic must be in the stack's region (${s.region})` });
  });

export type StackSpec = z.infer<typeof stackSpecSchema>;

/** The seed's values (variables.tf defaults and the literals in rds.tf/ecs.tf/alb.tf) plus our additions' defaults. */
export const SEED_DEFAULTS = {
  region: "eu-west-2",
  allowedCidrs: ["10.0.0.0/8"],
  albScheme: "internal",
  natGateways: "none",
  prefectImage: PREFECT_IMAGE,
  serverCpu: 512,
  serverMemory: 1024,
  serverDesiredCount: 1,
  dbInstanceClass: "db.t3.micro",
  dbAllocatedStorage: 20,
  dbMaxAllocatedStorage: 40,
  dbMultiAz: false,
  dbDeletionProtection: false,
  dbApplyImmediately: true,
  dbBackupRetentionDays: 7,
  workerPoolName: "production",
  workerPoolType: "ecs",
  workerImage: PREFECT_IMAGE,
  workerCpu: 512,
  workerMemory: 1024,
  workerMinCount: 1,
  workerDesiredCount: 1,
  workerMaxCount: 4,
  workerCpuTarget: 70,
  cpuAlarmThreshold: 80,
  basicAuth: false,
} as const satisfies Partial<StackSpec>;

/** A full spec from the seed defaults plus what only the user can know (name, network). */
export function defaultSpec(input: {
  env: string;
  region?: Region;
  vpcId: string;
  privateSubnetIds: string[];
  publicSubnetIds: string[];
}): StackSpec {
  return {
    ...SEED_DEFAULTS,
    allowedCidrs: [...SEED_DEFAULTS.allowedCidrs],
    ...input,
    region: input.region ?? SEED_DEFAULTS.region,
  };
}

/** Turns the form's free-text fields into the schema's shape (trimmed lists, empty optional → undefined). */
export function splitList(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}
