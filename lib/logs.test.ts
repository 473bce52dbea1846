import { describe, expect, it } from "vitest";
import { decodeLineId, encodeLineId, filterPatternProblem, rangeProblem } from "./logs";
import { historyQuerySchema, streamQuerySchema } from "./schemas/logs";

describe("log query validation", () => {
  it("round-trips SSE ids and rejects anything else", () => {
    const id = encodeLineId({ ts: 1_700_000_000_000, id: "37934785737271829837459283745928374592837459283745928374" });
    expect(decodeLineId(id)).toEqual({ ts: 1_700_000_000_000, id: "37934785737271829837459283745928374592837459283745928374" });
    for (const bad of ["", "abc", "12.", ".12", "1.2 3", "1.<script>", "99999999999999999.1"]) expect(decodeLineId(bad)).toBeUndefined();
  });

  it("refuses reversed and future ranges with a message", () => {
    const now = 1_000_000_000;
    expect(rangeProblem(now, now - 1, now)).toMatch(/ends before it starts/);
    expect(rangeProblem(now + 3_600_000, now + 7_200_000, now)).toMatch(/future/);
    expect(rangeProblem(now - 60_000, now, now)).toBeUndefined();
    expect(historyQuerySchema.safeParse({ start: "10", end: "5" }).success).toBe(false);
  });

  it("needs a task id for the task source, and validates it", () => {
    expect(streamQuerySchema.safeParse({ source: "task" }).success).toBe(false);
    expect(streamQuerySchema.safeParse({ source: "task", task: "../../etc" }).success).toBe(false);
    expect(streamQuerySchema.safeParse({ source: "task", task: "0123456789abcdef0123456789abcdef" }).success).toBe(true);
    expect(streamQuerySchema.safeParse({ source: "bogus" }).success).toBe(false);
  });

  it("keeps filter patterns as typed, within CloudWatch's 1,024 characters", () => {
    const p = '{ $.level = "ERROR" }';
    const r = streamQuerySchema.safeParse({ filter: p });
    expect(r.success && r.data.filter).toBe(p);
    expect(streamQuerySchema.safeParse({ filter: "x".repeat(1025) }).success).toBe(false);
    expect(streamQuerySchema.safeParse({ filter: "a\u0000b" }).success).toBe(false);
  });

  it("accepts CloudWatch's pattern forms and catches malformed ones before any AWS call", () => {
    for (const ok of [
      "ERROR",
      '"Failed to submit"',
      "ERROR -healthcheck",
      "?ERROR ?WARN",
      '{ $.level = "ERROR" }',
      '{ ($.status >= 500) && ($.path = "/api/*") }',
      '[ip, user, ts, req = "POST*", status = 5*, size]',
      "%ERROR|CRITICAL%",
      '"a { brace in quotes"',
      "{ $.x IS NULL }",
    ])
      expect(filterPatternProblem(ok)).toBeUndefined();
    for (const bad of ['"unterminated', "{ $.level = ", "[a, b", "{ level = ERROR }", "{ $.level }", "abc}", "%unclosed", "(a"])
      expect(filterPatternProblem(bad)).toMatch(/^Invalid filter pattern/);
    const r = streamQuerySchema.safeParse({ filter: "{ $.level = " });
    expect(r.success).toBe(false);
  });
});
