// Isomorphic: a monthly cost estimate for a StackSpec, from a per-region on-demand price table (Linux/x86, USD,
// list prices as published in 2025; RDS PostgreSQL single-AZ, Multi-AZ = 2×). It is an estimate: data transfer and
// Container Insights metrics depend on traffic and are named in the assumptions, not priced; NAT gateways the stack
// creates are priced by the hour plus an assumed amount of data.
import { SEED_DEFAULTS, stackSpecSchema, type Region, type StackSpec } from "./stack-spec";

export const HOURS_PER_MONTH = 730;

export interface RegionPrices {
  /** Fargate per vCPU-hour and per GB-hour. */
  fargateVcpuHour: number;
  fargateGbHour: number;
  /** ALB per hour and per LCU-hour. */
  albHour: number;
  albLcuHour: number;
  /** RDS gp3 storage per GB-month. */
  rdsGp3GbMonth: number;
  /** RDS instance price = us-east-1 price × this factor (regional uplift). */
  rdsFactor: number;
  /** CloudWatch Logs ingestion per GB. */
  logsIngestGb: number;
  secretMonth: number;
  alarmMonth: number;
}

const p = (
  fargateVcpuHour: number,
  fargateGbHour: number,
  albHour: number,
  albLcuHour: number,
  rdsGp3GbMonth: number,
  rdsFactor: number,
  logsIngestGb: number,
): RegionPrices => ({
  fargateVcpuHour,
  fargateGbHour,
  albHour,
  albLcuHour,
  rdsGp3GbMonth,
  rdsFactor,
  logsIngestGb,
  secretMonth: 0.4,
  alarmMonth: 0.1,
});

export const PRICES: Record<Region, RegionPrices> = {
  "us-east-1": p(0.04048, 0.004445, 0.0225, 0.008, 0.115, 1, 0.5),
  "us-east-2": p(0.04048, 0.004445, 0.0225, 0.008, 0.115, 1, 0.5),
  "us-west-1": p(0.04656, 0.00511, 0.0252, 0.008, 0.138, 1.17, 0.5),
  "us-west-2": p(0.04048, 0.004445, 0.0225, 0.008, 0.115, 1, 0.5),
  "ca-central-1": p(0.04456, 0.004865, 0.02475, 0.008, 0.127, 1.1, 0.55),
  "eu-west-1": p(0.04048, 0.004445, 0.0252, 0.008, 0.127, 1.06, 0.57),
  "eu-west-2": p(0.04656, 0.00511, 0.02646, 0.0084, 0.133, 1.11, 0.5985),
  "eu-west-3": p(0.04656, 0.00511, 0.02646, 0.0084, 0.133, 1.11, 0.5985),
  "eu-central-1": p(0.04656, 0.00511, 0.027, 0.008, 0.137, 1.15, 0.63),
  "eu-north-1": p(0.0426, 0.00468, 0.0243, 0.008, 0.121, 1.05, 0.5985),
  "ap-southeast-1": p(0.05056, 0.00553, 0.0252, 0.008, 0.138, 1.39, 0.7),
  "ap-southeast-2": p(0.05056, 0.00553, 0.0252, 0.008, 0.138, 1.39, 0.76),
  "ap-northeast-1": p(0.05056, 0.00553, 0.0243, 0.008, 0.138, 1.3, 0.76),
  "ap-south-1": p(0.04256, 0.00465, 0.0239, 0.008, 0.131, 1.11, 0.69),
  "sa-east-1": p(0.0696, 0.0076, 0.034, 0.011, 0.219, 1.61, 0.99),
};

/** NAT gateway per hour and per GB processed (VPC pricing; ~$33/month each in us-east-1 before data). */
export const NAT_PRICES: Record<Region, { hour: number; gb: number }> = {
  "us-east-1": { hour: 0.045, gb: 0.045 },
  "us-east-2": { hour: 0.045, gb: 0.045 },
  "us-west-1": { hour: 0.048, gb: 0.048 },
  "us-west-2": { hour: 0.045, gb: 0.045 },
  "ca-central-1": { hour: 0.05, gb: 0.05 },
  "eu-west-1": { hour: 0.048, gb: 0.048 },
  "eu-west-2": { hour: 0.05, gb: 0.05 },
  "eu-west-3": { hour: 0.05, gb: 0.05 },
  "eu-central-1": { hour: 0.052, gb: 0.052 },
  "eu-north-1": { hour: 0.046, gb: 0.046 },
  "ap-southeast-1": { hour: 0.059, gb: 0.059 },
  "ap-southeast-2": { hour: 0.059, gb: 0.059 },
  "ap-northeast-1": { hour: 0.062, gb: 0.062 },
  "ap-south-1": { hour: 0.056, gb: 0.056 },
  "sa-east-1": { hour: 0.093, gb: 0.093 },
};

/** Data through the NAT gateways a month: image pulls, Prefect's package installs, logs, API calls. */
export const ASSUMED_NAT_GB_PER_MONTH = 20;

/** How many NAT gateways the spec's option creates: one shared, or one per chosen public subnet (one per AZ). */
export function natGatewayCount(spec: { natGateways?: StackSpec["natGateways"] | undefined; publicSubnetIds?: string[] }): number {
  if (spec.natGateways === "single") return 1;
  if (spec.natGateways === "per-az") return spec.publicSubnetIds?.length ?? 0;
  return 0;
}

/** us-east-1 on-demand PostgreSQL single-AZ hourly prices. */
export const RDS_HOURLY_US_EAST_1: Record<StackSpec["dbInstanceClass"], number> = {
  "db.t3.micro": 0.018,
  "db.t3.small": 0.036,
  "db.t3.medium": 0.072,
  "db.t3.large": 0.145,
  "db.t4g.micro": 0.016,
  "db.t4g.small": 0.032,
  "db.t4g.medium": 0.065,
  "db.t4g.large": 0.129,
  "db.m5.large": 0.178,
  "db.m5.xlarge": 0.356,
  "db.m6g.large": 0.159,
  "db.m6g.xlarge": 0.318,
  "db.m7g.large": 0.168,
  "db.r6g.large": 0.225,
};

export const ASSUMED_LCU = 1;
export const ASSUMED_LOG_GB_PER_MONTH = 5;

export interface CostLine {
  key: "server" | "worker" | "rds" | "storage" | "alb" | "nat" | "logs" | "secrets" | "alarms";
  label: string;
  detail: string;
  monthly: number;
  /** Part of what the seed's walkthrough prices at ~$67/month (Fargate server + RDS + ALB). */
  inSeed: boolean;
}

export interface CostEstimate {
  region: Region;
  lines: CostLine[];
  total: number;
  /** The same stack's cost without what we add beyond the seed (worker service, extra alarms). */
  seedComparable: number;
  assumptions: string[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

/** Number of CloudWatch alarms the stack creates (server/worker CPU+memory, ALB 5xx + unhealthy, RDS CPU + storage). */
export const ALARM_COUNT = 8;

/** The fields of a StackSpec the estimate depends on. */
export const COST_FIELDS = [
  "region",
  "serverCpu",
  "serverMemory",
  "serverDesiredCount",
  "dbInstanceClass",
  "dbAllocatedStorage",
  "dbMultiAz",
  "workerCpu",
  "workerMemory",
  "workerDesiredCount",
  "basicAuth",
] as const;
/** The fields that count only when present (the NAT gateways the stack creates, one per public subnet for per-az). */
export const OPTIONAL_COST_FIELDS = ["natGateways", "publicSubnetIds"] as const;
export type CostInput = Pick<StackSpec, (typeof COST_FIELDS)[number]> & Partial<Pick<StackSpec, (typeof OPTIONAL_COST_FIELDS)[number]>>;

/**
 * The estimate for a spec still being filled in (the provisioning form's candidate): a field the schema does not
 * accept yet counts at the seed's default, so the card always shows a price and never prices a value AWS would refuse.
 */
export function estimateDraftCost(draft: Record<string, unknown>): CostEstimate {
  const accepted = <K extends (typeof COST_FIELDS)[number]>(k: K): CostInput[K] => {
    const r = stackSpecSchema.shape[k].safeParse(draft[k]);
    return (r.success ? r.data : SEED_DEFAULTS[k]) as CostInput[K];
  };
  const optional = Object.fromEntries(
    OPTIONAL_COST_FIELDS.flatMap((k) => {
      const r = stackSpecSchema.shape[k].safeParse(draft[k]);
      return r.success && r.data !== undefined ? [[k, r.data]] : [];
    }),
  );
  return estimateCost({ ...Object.fromEntries(COST_FIELDS.map((k) => [k, accepted(k)])), ...optional } as CostInput);
}

export function estimateCost(spec: CostInput): CostEstimate {
  const pr = PRICES[spec.region];
  const fargate = (cpu: number, memMb: number, count: number) =>
    (cpu / 1024) * pr.fargateVcpuHour * HOURS_PER_MONTH * count + (memMb / 1024) * pr.fargateGbHour * HOURS_PER_MONTH * count;
  const azs = spec.dbMultiAz ? 2 : 1;
  const rdsHourly = (RDS_HOURLY_US_EAST_1[spec.dbInstanceClass] ?? 0) * pr.rdsFactor;
  const secrets = spec.basicAuth ? 3 : 2;
  const nats = natGatewayCount(spec);
  const nat = NAT_PRICES[spec.region];
  const lines: CostLine[] = [
    {
      key: "server",
      label: "Prefect server (Fargate)",
      detail: `${spec.serverDesiredCount} × ${spec.serverCpu / 1024} vCPU / ${spec.serverMemory / 1024} GB`,
      monthly: fargate(spec.serverCpu, spec.serverMemory, spec.serverDesiredCount),
      inSeed: true,
    },
    {
      key: "worker",
      label: "Prefect worker (Fargate)",
      detail: `${spec.workerDesiredCount} × ${spec.workerCpu / 1024} vCPU / ${spec.workerMemory / 1024} GB (desired count; auto scaling may add more)`,
      monthly: fargate(spec.workerCpu, spec.workerMemory, spec.workerDesiredCount),
      inSeed: false,
    },
    {
      key: "rds",
      label: "RDS PostgreSQL",
      detail: `${spec.dbInstanceClass}${spec.dbMultiAz ? ", Multi-AZ (2×)" : ", single-AZ"}`,
      monthly: rdsHourly * HOURS_PER_MONTH * azs,
      inSeed: true,
    },
    {
      key: "storage",
      label: "RDS storage (gp3)",
      detail: `${spec.dbAllocatedStorage} GB allocated${spec.dbMultiAz ? " × 2 AZs" : ""}`,
      monthly: spec.dbAllocatedStorage * pr.rdsGp3GbMonth * azs,
      inSeed: true,
    },
    {
      key: "alb",
      label: "Application Load Balancer",
      detail: `hours + ${ASSUMED_LCU} LCU average`,
      monthly: (pr.albHour + ASSUMED_LCU * pr.albLcuHour) * HOURS_PER_MONTH,
      inSeed: true,
    },
    ...(nats > 0
      ? [
          {
            key: "nat",
            label: "NAT gateways",
            detail: `${nats} × ($${nat.hour}/hour) + ${ASSUMED_NAT_GB_PER_MONTH} GB processed; the Elastic IPs are free while attached`,
            monthly: nats * nat.hour * HOURS_PER_MONTH + ASSUMED_NAT_GB_PER_MONTH * nat.gb,
            inSeed: false,
          },
        ]
      : []),
    {
      key: "logs",
      label: "CloudWatch Logs",
      detail: `${ASSUMED_LOG_GB_PER_MONTH} GB ingested per month`,
      monthly: ASSUMED_LOG_GB_PER_MONTH * pr.logsIngestGb,
      inSeed: true,
    },
    { key: "secrets", label: "Secrets Manager", detail: `${secrets} secrets`, monthly: secrets * pr.secretMonth, inSeed: true },
    {
      key: "alarms",
      label: "CloudWatch alarms",
      detail: `${ALARM_COUNT} standard alarms`,
      monthly: ALARM_COUNT * pr.alarmMonth,
      inSeed: false,
    },
  ].map((l) => ({ ...l, key: l.key as CostLine["key"], monthly: round2(l.monthly) }));
  const total = round2(lines.reduce((a, l) => a + l.monthly, 0));
  const seedComparable = round2(lines.filter((l) => l.inSeed).reduce((a, l) => a + l.monthly, 0));
  return {
    region: spec.region,
    lines,
    total,
    seedComparable,
    assumptions: [
      `On-demand list prices for ${spec.region} (USD, ${HOURS_PER_MONTH} hours a month); no Savings Plans or reserved instances.`,
      "Tasks run all month at their desired count; worker auto scaling above it costs extra.",
      `Load balancer traffic averages ${ASSUMED_LCU} LCU; data transfer out is not included.`,
      nats > 0
        ? `${ASSUMED_NAT_GB_PER_MONTH} GB a month through the stack's NAT gateways; more traffic costs $${nat.gb}/GB.`
        : "No NAT gateway created by the stack; the VPC's own NAT (if any) is billed to it.",
      `${ASSUMED_LOG_GB_PER_MONTH} GB of logs a month; Container Insights metrics and backup storage beyond the DB size are not included.`,
    ],
  };
}
