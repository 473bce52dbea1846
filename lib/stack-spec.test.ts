import { describe, expect, it } from "vitest";
import { fieldErrorsOf } from "./client-validate";
import { fargatePairHint, FARGATE_CPU_OPTIONS, isValidFargatePair, nearestMemory } from "./fargate";
import { isIpv4Cidr, stackSpecSchema } from "./stack-spec";
import { INVALID_SPEC_CASES, invalidInput, validSpec } from "@/test/fixtures/invalid-stack-specs";

const valid = validSpec;
const invalid = INVALID_SPEC_CASES;

describe("stackSpecSchema", () => {
  it("accepts the seed defaults", () => {
    expect(stackSpecSchema.safeParse(valid).success).toBe(true);
  });

  it("has a table of at least 100 invalid inputs", () => {
    expect(invalid.length).toBeGreaterThanOrEqual(100);
  });

  it.each(invalid)("%s → a message on that field", (_label, patch, field, message) => {
    const r = stackSpecSchema.safeParse(invalidInput(patch));
    expect(r.success).toBe(false);
    if (r.success) return;
    const errors = fieldErrorsOf(r.error);
    expect(Object.keys(errors)).toContain(field);
    const messages = errors[field] ?? [];
    expect(messages.every((m) => m.length > 10)).toBe(true);
    if (message) expect(messages.join(" | ")).toMatch(message);
  });

  it("rejects non-objects", () => {
    for (const v of [null, "spec", 42, [], undefined]) expect(stackSpecSchema.safeParse(v).success).toBe(false);
  });

  it("accepts optional certificate (with the domain it covers) and SNS topic in the stack's region", () => {
    const r = stackSpecSchema.safeParse({
      ...valid,
      domainName: "prefect.example.com",
      certificateArn: "arn:aws:acm:eu-west-2:123456789012:certificate/0f1e2d3c-aaaa-bbbb-cccc-111122223333",
      snsTopicArn: "arn:aws:sns:eu-west-2:123456789012:prefect-alerts",
    });
    expect(r.success).toBe(true);
  });
});

describe("fargate pairs", () => {
  it("knows the documented combinations", () => {
    expect(isValidFargatePair(256, 512)).toBe(true);
    expect(isValidFargatePair(512, 4096)).toBe(true);
    expect(isValidFargatePair(512, 5120)).toBe(false);
    expect(isValidFargatePair(16384, 122880)).toBe(true);
    expect(FARGATE_CPU_OPTIONS.every((o) => o.memories.length > 0)).toBe(true);
  });
  it("explains each CPU's range", () => {
    expect(fargatePairHint(512)).toBe("512 CPU allows 1–4 GB memory (in 1 GB steps)");
    expect(fargatePairHint(256)).toBe("256 CPU allows 512 MB, 1 GB, 2 GB memory");
  });
  it("moves memory to the nearest valid value", () => {
    expect(nearestMemory(1024, 1024)).toBe(2048);
    expect(nearestMemory(512, 1024)).toBe(1024);
  });
});

describe("isIpv4Cidr", () => {
  it.each(["0.0.0.0/0", "10.0.0.0/8", "203.0.113.7/32", "192.168.0.0/16"])("%s is valid", (c) => expect(isIpv4Cidr(c)).toBe(true));
});
