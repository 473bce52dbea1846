// Isomorphic helpers for the provisioning form: the form keeps strings (what inputs hold) and converts them to a
// StackSpec candidate for the shared zod schema, so the browser shows the same messages the server would.
import { rangeHint, SPEC_LIMITS } from "@/lib/stack-limits";
import { SEED_DEFAULTS, splitList, type StackSpec } from "@/lib/stack-spec";

export interface FormValues {
  env: string;
  region: string;
  vpcId: string;
  privateSubnetIds: string[];
  publicSubnetIds: string[];
  allowedCidrs: string;
  albScheme: string;
  certificateArn: string;
  domainName: string;
  natGateways: string;
  prefectImage: string;
  serverCpu: string;
  serverMemory: string;
  serverDesiredCount: string;
  dbInstanceClass: string;
  dbAllocatedStorage: string;
  dbMaxAllocatedStorage: string;
  dbMultiAz: boolean;
  dbDeletionProtection: boolean;
  dbApplyImmediately: boolean;
  dbBackupRetentionDays: string;
  workerPoolName: string;
  workerPoolType: string;
  workerImage: string;
  workerCpu: string;
  workerMemory: string;
  workerMinCount: string;
  workerDesiredCount: string;
  workerMaxCount: string;
  workerCpuTarget: string;
  cpuAlarmThreshold: string;
  snsTopicArn: string;
  basicAuth: boolean;
}

export function valuesFromSpec(s: Partial<Omit<StackSpec, "region">> & { region: string }): FormValues {
  const d = { ...SEED_DEFAULTS, ...s };
  return {
    env: s.env ?? "",
    region: d.region,
    vpcId: s.vpcId ?? "",
    privateSubnetIds: s.privateSubnetIds ?? [],
    publicSubnetIds: s.publicSubnetIds ?? [],
    allowedCidrs: (d.allowedCidrs ?? []).join(", "),
    albScheme: d.albScheme,
    certificateArn: s.certificateArn ?? "",
    domainName: s.domainName ?? "",
    natGateways: d.natGateways,
    prefectImage: d.prefectImage,
    serverCpu: String(d.serverCpu),
    serverMemory: String(d.serverMemory),
    serverDesiredCount: String(d.serverDesiredCount),
    dbInstanceClass: d.dbInstanceClass,
    dbAllocatedStorage: String(d.dbAllocatedStorage),
    dbMaxAllocatedStorage: String(d.dbMaxAllocatedStorage),
    dbMultiAz: d.dbMultiAz,
    dbDeletionProtection: d.dbDeletionProtection,
    dbApplyImmediately: d.dbApplyImmediately,
    dbBackupRetentionDays: String(d.dbBackupRetentionDays),
    workerPoolName: d.workerPoolName,
    workerPoolType: d.workerPoolType,
    workerImage: d.workerImage,
    workerCpu: String(d.workerCpu),
    workerMemory: String(d.workerMemory),
    workerMinCount: String(d.workerMinCount),
    workerDesiredCount: String(d.workerDesiredCount),
    workerMaxCount: String(d.workerMaxCount),
    workerCpuTarget: String(d.workerCpuTarget),
    cpuAlarmThreshold: String(d.cpuAlarmThreshold),
    snsTopicArn: s.snsTopicArn ?? "",
    basicAuth: d.basicAuth,
  };
}

/** The hints under numeric fields, from the limits the schema enforces (lib/stack-limits.ts). */
export const LIMIT_HINTS = {
  serverDesiredCount: rangeHint(SPEC_LIMITS.serverDesiredCount),
  dbAllocatedStorage: `At least ${SPEC_LIMITS.dbAllocatedStorage.min} GB (gp3)`,
} as const;

const num = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));
const opt = (s: string) => (s.trim() === "" ? undefined : s.trim());

/** The candidate spec (not yet validated). */
export function specFromValues(v: FormValues): Record<string, unknown> {
  return {
    env: v.env.trim(),
    region: v.region,
    vpcId: v.vpcId,
    privateSubnetIds: v.privateSubnetIds,
    publicSubnetIds: v.publicSubnetIds,
    allowedCidrs: splitList(v.allowedCidrs),
    albScheme: v.albScheme,
    ...(opt(v.certificateArn) ? { certificateArn: opt(v.certificateArn) } : {}),
    ...(opt(v.domainName) ? { domainName: opt(v.domainName)?.toLowerCase() } : {}),
    natGateways: v.natGateways,
    prefectImage: v.prefectImage.trim(),
    serverCpu: num(v.serverCpu),
    serverMemory: num(v.serverMemory),
    serverDesiredCount: num(v.serverDesiredCount),
    dbInstanceClass: v.dbInstanceClass,
    dbAllocatedStorage: num(v.dbAllocatedStorage),
    dbMaxAllocatedStorage: num(v.dbMaxAllocatedStorage),
    dbMultiAz: v.dbMultiAz,
    dbDeletionProtection: v.dbDeletionProtection,
    dbApplyImmediately: v.dbApplyImmediately,
    dbBackupRetentionDays: num(v.dbBackupRetentionDays),
    workerPoolName: v.workerPoolName.trim(),
    workerPoolType: v.workerPoolType,
    workerImage: v.workerImage.trim(),
    workerCpu: num(v.workerCpu),
    workerMemory: num(v.workerMemory),
    workerMinCount: num(v.workerMinCount),
    workerDesiredCount: num(v.workerDesiredCount),
    workerMaxCount: num(v.workerMaxCount),
    workerCpuTarget: num(v.workerCpuTarget),
    cpuAlarmThreshold: num(v.cpuAlarmThreshold),
    ...(opt(v.snsTopicArn) ? { snsTopicArn: opt(v.snsTopicArn) } : {}),
    basicAuth: v.basicAuth,
  };
}
