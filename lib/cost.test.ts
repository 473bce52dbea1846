import { describe, expect, it } from "vitest";
import { estimateCost, estimateDraftCost, PRICES } from "./cost";
import { defaultSpec, REGIONS, SEED_DEFAULTS } from "./stack-spec";

const base = defaultSpec({
  env: "production",
  vpcId: "vpc-0abc1234",
  privateSubnetIds: ["subnet-0000000a", "subnet-0000000b"],
  publicSubnetIds: ["subnet-0000000c", "subnet-0000000d"],
});

describe("estimateCost", () => {
  it("prices the seed's stack (Fargate server + RDS + ALB in eu-west-2) at about $67/month", () => {
    const est = estimateCost(base);
    expect(est.seedComparable).toBeGreaterThan(62);
    expect(est.seedComparable).toBeLessThan(72);
    expect(est.total).toBeGreaterThan(est.seedComparable);
  });

  it("adds up its lines and states its assumptions", () => {
    const est = estimateCost(base);
    const sum = est.lines.reduce((a, l) => a + l.monthly, 0);
    expect(est.total).toBeCloseTo(sum, 1);
    expect(est.assumptions.length).toBeGreaterThanOrEqual(3);
  });

  it("prices the NAT option: ~$33/month each plus data, one shared or one per AZ; none when the VPC has its own", () => {
    const line = (e: ReturnType<typeof estimateCost>) => e.lines.find((l) => l.key === "nat");
    expect(line(estimateCost(base))).toBeUndefined();
    const us = { ...base, region: "us-east-1" as const };
    const single = line(estimateCost({ ...us, natGateways: "single" }));
    expect(single?.monthly).toBeCloseTo(0.045 * 730 + 20 * 0.045, 1); // $32.85 + data
    const perAz = line(estimateCost({ ...us, natGateways: "per-az" }));
    expect(perAz?.monthly).toBeCloseTo(2 * 0.045 * 730 + 20 * 0.045, 1);
    expect(perAz?.detail).toMatch(/^2 ×/);
    expect(estimateCost({ ...us, natGateways: "per-az" }).total - estimateCost(us).total).toBeCloseTo(perAz?.monthly ?? 0, 1);
  });

  it("doubles RDS instance and storage for Multi-AZ", () => {
    const single = estimateCost(base);
    const multi = estimateCost({ ...base, dbMultiAz: true });
    const line = (e: typeof single, k: string) => e.lines.find((l) => l.key === k)?.monthly ?? NaN;
    expect(line(multi, "rds")).toBeCloseTo(line(single, "rds") * 2, 1);
    expect(line(multi, "storage")).toBeCloseTo(line(single, "storage") * 2, 1);
  });

  it("scales Fargate with CPU, memory and count", () => {
    const one = estimateCost(base).lines.find((l) => l.key === "worker")!.monthly;
    const three = estimateCost({ ...base, workerDesiredCount: 3 }).lines.find((l) => l.key === "worker")!.monthly;
    expect(three).toBeCloseTo(one * 3, 1);
    const zero = estimateCost({ ...base, workerDesiredCount: 0 }).lines.find((l) => l.key === "worker")!.monthly;
    expect(zero).toBe(0);
  });

  it("has prices for every region the form offers", () => {
    for (const r of REGIONS) {
      expect(PRICES[r].fargateVcpuHour).toBeGreaterThan(0);
      expect(estimateCost({ ...base, region: r }).total).toBeGreaterThan(30);
    }
  });

  it("prices a draft's unacceptable fields at the seed's defaults", () => {
    const draft = { ...base, serverDesiredCount: Number.NaN, dbInstanceClass: "db.x9.huge", workerCpu: 1000, region: "mars-1" };
    expect(estimateDraftCost(draft)).toEqual(
      estimateCost({
        ...base,
        serverDesiredCount: SEED_DEFAULTS.serverDesiredCount,
        dbInstanceClass: SEED_DEFAULTS.dbInstanceClass,
        workerCpu: SEED_DEFAULTS.workerCpu,
        region: SEED_DEFAULTS.region,
      }),
    );
    expect(estimateDraftCost({ ...base, workerDesiredCount: 3 })).toEqual(estimateCost({ ...base, workerDesiredCount: 3 }));
  });

  it("prices the NAT gateways a draft asks the stack to create", () => {
    const publicSubnetIds = ["subnet-0ccc3333", "subnet-0ddd4444"];
    const perAz = estimateDraftCost({ ...base, natGateways: "per-az", publicSubnetIds });
    expect(perAz).toEqual(estimateCost({ ...base, natGateways: "per-az", publicSubnetIds }));
    expect(perAz.total).toBeGreaterThan(estimateDraftCost({ ...base, natGateways: "single", publicSubnetIds }).total);
    expect(estimateDraftCost({ ...base, natGateways: "two" })).toEqual(estimateCost(base));
  });
});
