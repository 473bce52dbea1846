import { describe, expect, it } from "vitest";
import { toneOf } from "./health-summary";

const ok = <T,>(data: T) => ({ ok: true as const, data });

describe("stack health tone", () => {
  it("is ok when steady, healthy and quiet; failed on a firing alarm or no healthy target; pending while converging", () => {
    const base = { env: "p", services: ok({ count: 2, steady: 2, running: 2, desired: 2 }), targets: ok({ healthy: 1, total: 1 }), alarms: ok({ firing: [] as string[], total: 1 }) };
    expect(toneOf(base)).toBe("ok");
    expect(toneOf({ ...base, alarms: ok({ firing: ["prefect-high-cpu-p"], total: 1 }) })).toBe("failed");
    expect(toneOf({ ...base, targets: ok({ healthy: 0, total: 1 }) })).toBe("failed");
    expect(toneOf({ ...base, services: ok({ count: 2, steady: 1, running: 1, desired: 2 }) })).toBe("pending");
    expect(toneOf({ ...base, services: { ok: false, error: "denied" } })).toBe("failed");
  });
});
