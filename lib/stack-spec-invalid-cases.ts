// The table of invalid provisioning inputs shared by the schema test and the server-action test: each row is one
// bad input → the field that must carry a message (and, where it matters, what the message says).
import { defaultSpec, type StackSpec } from "./stack-spec";

export const validSpec: StackSpec = defaultSpec({
  env: "production",
  vpcId: "vpc-0abc1234",
  privateSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
  publicSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
});

export type InvalidCase = [label: string, patch: Record<string, unknown>, field: string, message?: RegExp];

const long = (n: number) => "a".repeat(n);

export const INVALID_SPEC_CASES: InvalidCase[] = [
  // environment name
  ["empty env", { env: "" }, "env"],
  ["one-letter env", { env: "p" }, "env", /at least 2/],
  ["upper-case env", { env: "Production" }, "env", /lower-case/],
  ["env with underscore", { env: "prod_1" }, "env"],
  ["env with space", { env: "prod 1" }, "env"],
  ["env starting with digit", { env: "1prod" }, "env"],
  ["env starting with hyphen", { env: "-prod" }, "env"],
  ["env ending with hyphen", { env: "prod-" }, "env"],
  ["env too long", { env: long(21) }, "env", /at most 20/],
  ["env way too long", { env: long(5000) }, "env"],
  ["env with dot", { env: "prod.eu" }, "env"],
  ["env with slash", { env: "prod/eu" }, "env"],
  ["env unicode", { env: "prödüction" }, "env"],
  ["env number", { env: 42 }, "env"],
  ["env null", { env: null }, "env"],
  ["env missing", { env: undefined }, "env"],
  // region
  ["unknown region", { region: "mars-north-1" }, "region"],
  ["empty region", { region: "" }, "region"],
  ["region upper-case", { region: "US-EAST-1" }, "region"],
  ["region number", { region: 1 }, "region"],
  // VPC
  ["empty VPC", { vpcId: "" }, "vpcId", /Pick a VPC/],
  ["VPC without prefix", { vpcId: "0abc1234" }, "vpcId"],
  ["VPC short", { vpcId: "vpc-123" }, "vpcId"],
  ["VPC upper-case hex", { vpcId: "vpc-0ABC1234" }, "vpcId"],
  ["VPC with injection", { vpcId: "vpc-0abc1234; rm -rf" }, "vpcId"],
  ["VPC array", { vpcId: ["vpc-0abc1234"] }, "vpcId"],
  // subnets
  ["one private subnet", { privateSubnetIds: ["subnet-0000000a"] }, "privateSubnetIds", /at least two/],
  ["no private subnets", { privateSubnetIds: [] }, "privateSubnetIds"],
  ["private subnets string", { privateSubnetIds: "subnet-0000000a,subnet-0000000b" }, "privateSubnetIds"],
  ["private subnet bad id", { privateSubnetIds: ["subnet-0000000a", "sub-1"] }, "privateSubnetIds.1"],
  ["private subnet duplicate", { privateSubnetIds: ["subnet-0000000a", "subnet-0000000a"] }, "privateSubnetIds", /once/],
  [
    "private subnets too many",
    { privateSubnetIds: Array.from({ length: 17 }, (_, i) => `subnet-${String(i).padStart(8, "0")}`) },
    "privateSubnetIds",
  ],
  ["private subnet number", { privateSubnetIds: [1, 2] }, "privateSubnetIds.0"],
  ["one public subnet", { publicSubnetIds: ["subnet-0000000c"] }, "publicSubnetIds"],
  ["no public subnets", { publicSubnetIds: [] }, "publicSubnetIds"],
  ["public subnet bad id", { publicSubnetIds: ["subnet-0000000c", "subnet-XYZ"] }, "publicSubnetIds.1"],
  ["public subnet duplicate", { publicSubnetIds: ["subnet-0000000c", "subnet-0000000c"] }, "publicSubnetIds"],
  ["public subnets null", { publicSubnetIds: null }, "publicSubnetIds"],
  // allowed CIDRs
  ["no CIDR", { allowedCidrs: [] }, "allowedCidrs", /at least one/],
  ["CIDR without prefix", { allowedCidrs: ["10.0.0.0"] }, "allowedCidrs.0", /IPv4 CIDR/],
  ["CIDR prefix 33", { allowedCidrs: ["10.0.0.0/33"] }, "allowedCidrs.0"],
  ["CIDR octet 256", { allowedCidrs: ["10.0.0.256/32"] }, "allowedCidrs.0"],
  ["CIDR host bits", { allowedCidrs: ["10.0.0.1/8"] }, "allowedCidrs.0", /host bits/],
  ["CIDR IPv6", { allowedCidrs: ["::/0"] }, "allowedCidrs.0"],
  ["CIDR text", { allowedCidrs: ["anywhere"] }, "allowedCidrs.0"],
  ["CIDR leading zero", { allowedCidrs: ["010.0.0.0/8"] }, "allowedCidrs.0"],
  ["CIDR three octets", { allowedCidrs: ["10.0.0/8"] }, "allowedCidrs.0"],
  ["CIDR negative", { allowedCidrs: ["-1.0.0.0/8"] }, "allowedCidrs.0"],
  ["CIDR oversize", { allowedCidrs: [long(300)] }, "allowedCidrs.0"],
  ["CIDR second bad", { allowedCidrs: ["10.0.0.0/8", "192.168.1.0/16"] }, "allowedCidrs.1"],
  ["CIDRs too many", { allowedCidrs: Array.from({ length: 21 }, (_, i) => `10.${i}.0.0/16`) }, "allowedCidrs", /At most 20/],
  ["CIDRs string", { allowedCidrs: "10.0.0.0/8" }, "allowedCidrs"],
  ["CIDR number", { allowedCidrs: [10] }, "allowedCidrs.0"],
  // ALB scheme and certificate
  ["scheme public", { albScheme: "public" }, "albScheme"],
  ["scheme bool", { albScheme: true }, "albScheme"],
  ["cert not ARN", { certificateArn: "my-cert" }, "certificateArn", /ACM certificate ARN/],
  ["cert IAM ARN", { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" }, "certificateArn"],
  ["cert short account", { certificateArn: "arn:aws:acm:eu-west-2:1234:certificate/abc" }, "certificateArn"],
  ["cert other region", { certificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc-123" }, "certificateArn", /region/],
  ["cert empty string", { certificateArn: "" }, "certificateArn"],
  ["cert number", { certificateArn: 5 }, "certificateArn"],
  // images
  ["empty image", { prefectImage: "" }, "prefectImage"],
  ["image with space", { prefectImage: "prefecthq/prefect 3" }, "prefectImage"],
  ["image upper-case repo", { prefectImage: "PrefectHQ/prefect:3" }, "prefectImage"],
  ["image bad tag", { prefectImage: "prefecthq/prefect:-3" }, "prefectImage"],
  ["image too long", { prefectImage: `prefecthq/${long(300)}` }, "prefectImage"],
  ["image shell", { prefectImage: "prefect;curl x" }, "prefectImage"],
  ["image number", { prefectImage: 3 }, "prefectImage"],
  ["worker image empty", { workerImage: "" }, "workerImage"],
  ["worker image bad", { workerImage: "a b" }, "workerImage"],
  ["worker image trailing colon", { workerImage: "prefecthq/prefect:" }, "workerImage"],
  // server CPU / memory
  ["server CPU 300", { serverCpu: 300 }, "serverCpu", /256, 512/],
  ["server CPU 0", { serverCpu: 0 }, "serverCpu"],
  ["server CPU string", { serverCpu: "512" }, "serverCpu"],
  ["server CPU negative", { serverCpu: -512 }, "serverCpu"],
  ["512 CPU with 512 MB", { serverCpu: 512, serverMemory: 512 }, "serverMemory", /512 CPU allows 1–4 GB memory/],
  ["512 CPU with 5 GB", { serverCpu: 512, serverMemory: 5120 }, "serverMemory", /512 CPU allows 1–4 GB/],
  ["256 CPU with 4 GB", { serverCpu: 256, serverMemory: 4096 }, "serverMemory", /256 CPU allows/],
  ["1024 CPU with 1 GB", { serverCpu: 1024, serverMemory: 1024 }, "serverMemory", /1024 CPU allows 2–8 GB/],
  ["1024 CPU with 1500 MB", { serverCpu: 1024, serverMemory: 1500 }, "serverMemory"],
  ["4096 CPU with 4 GB", { serverCpu: 4096, serverMemory: 4096 }, "serverMemory"],
  ["8192 CPU with 17 GB", { serverCpu: 8192, serverMemory: 17408 }, "serverMemory"],
  ["server memory fractional", { serverMemory: 1024.5 }, "serverMemory", /whole number/],
  ["server memory huge", { serverMemory: 200000 }, "serverMemory"],
  ["server memory string", { serverMemory: "1 GB" }, "serverMemory"],
  ["server count 0", { serverDesiredCount: 0 }, "serverDesiredCount", /must be 1/],
  ["server count 2 (needs Redis)", { serverDesiredCount: 2 }, "serverDesiredCount", /Redis/],
  ["server count 11", { serverDesiredCount: 11 }, "serverDesiredCount", /must be 1/],
  ["server count fraction", { serverDesiredCount: 1.5 }, "serverDesiredCount"],
  ["server count NaN", { serverDesiredCount: Number.NaN }, "serverDesiredCount"],
  // database
  ["db class unknown", { dbInstanceClass: "db.x99.huge" }, "dbInstanceClass"],
  ["db class no prefix", { dbInstanceClass: "t3.micro" }, "dbInstanceClass"],
  ["db storage 10", { dbAllocatedStorage: 10 }, "dbAllocatedStorage", /at least 20/],
  ["db storage huge", { dbAllocatedStorage: 20000 }, "dbAllocatedStorage"],
  ["db storage string", { dbAllocatedStorage: "20" }, "dbAllocatedStorage"],
  [
    "db max storage below 10% headroom",
    { dbAllocatedStorage: 100, dbMaxAllocatedStorage: 105 },
    "dbMaxAllocatedStorage",
    /at least 110 GB/,
  ],
  ["db max storage below allocated", { dbAllocatedStorage: 50, dbMaxAllocatedStorage: 40 }, "dbMaxAllocatedStorage"],
  ["db max storage negative", { dbMaxAllocatedStorage: -1 }, "dbMaxAllocatedStorage"],
  ["multi-AZ string", { dbMultiAz: "yes" }, "dbMultiAz"],
  ["multi-AZ number", { dbMultiAz: 1 }, "dbMultiAz"],
  ["deletion protection string", { dbDeletionProtection: "on" }, "dbDeletionProtection"],
  ["backups 0 days", { dbBackupRetentionDays: 0 }, "dbBackupRetentionDays", /at least 1/],
  ["backups 36 days", { dbBackupRetentionDays: 36 }, "dbBackupRetentionDays", /at most 35/],
  ["backups fraction", { dbBackupRetentionDays: 7.5 }, "dbBackupRetentionDays"],
  // worker pool
  ["pool empty", { workerPoolName: "" }, "workerPoolName"],
  ["pool with space", { workerPoolName: "my pool" }, "workerPoolName"],
  ["pool with slash", { workerPoolName: "a/b" }, "workerPoolName"],
  ["pool too long", { workerPoolName: long(64) }, "workerPoolName"],
  ["pool named default", { workerPoolName: "default" }, "workerPoolName", /default/],
  ["pool type kubernetes", { workerPoolType: "kubernetes" }, "workerPoolType"],
  ["pool type empty", { workerPoolType: "" }, "workerPoolType"],
  // worker sizes and counts
  ["worker CPU 100", { workerCpu: 100 }, "workerCpu"],
  ["worker 2048 CPU with 2 GB", { workerCpu: 2048, workerMemory: 2048 }, "workerMemory", /2048 CPU allows 4–16 GB/],
  ["worker memory 300", { workerMemory: 300 }, "workerMemory"],
  ["worker min negative", { workerMinCount: -1 }, "workerMinCount"],
  ["worker min above max", { workerMinCount: 5, workerDesiredCount: 5, workerMaxCount: 4 }, "workerMinCount", /exceed the maximum/],
  ["worker desired below min", { workerMinCount: 2, workerDesiredCount: 1 }, "workerDesiredCount", /between the minimum/],
  ["worker desired above max", { workerDesiredCount: 5, workerMaxCount: 4 }, "workerDesiredCount"],
  ["worker max 0", { workerMaxCount: 0, workerMinCount: 0, workerDesiredCount: 0 }, "workerMaxCount", /at least 1/],
  ["worker max 51", { workerMaxCount: 51 }, "workerMaxCount"],
  ["worker desired string", { workerDesiredCount: "2" }, "workerDesiredCount"],
  ["worker CPU target 5", { workerCpuTarget: 5 }, "workerCpuTarget", /at least 10/],
  ["worker CPU target 95", { workerCpuTarget: 95 }, "workerCpuTarget", /at most 90/],
  // alarms and options
  ["alarm threshold 0", { cpuAlarmThreshold: 0 }, "cpuAlarmThreshold"],
  ["alarm threshold 101", { cpuAlarmThreshold: 101 }, "cpuAlarmThreshold"],
  ["alarm threshold fraction", { cpuAlarmThreshold: 80.5 }, "cpuAlarmThreshold"],
  ["SNS not ARN", { snsTopicArn: "alerts" }, "snsTopicArn", /SNS topic ARN/],
  ["SNS other service", { snsTopicArn: "arn:aws:sqs:eu-west-2:123456789012:alerts" }, "snsTopicArn"],
  ["SNS other region", { snsTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts" }, "snsTopicArn", /region/],
  ["basic auth string", { basicAuth: "true" }, "basicAuth"],
  // unknown keys (posted straight to the action)
  ["unknown field", { dbPassword: "hunter2" }, "_form"],
];

/** The input a case describes: the valid spec with the patch applied (undefined removes a key). */
export function invalidInput(patch: Record<string, unknown>): Record<string, unknown> {
  const input: Record<string, unknown> = { ...validSpec, ...patch };
  for (const [k, v] of Object.entries(patch)) if (v === undefined) delete input[k];
  return input;
}
