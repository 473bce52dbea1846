import { describe, expect, it } from "vitest";
import { formatRelative } from "./format";

describe("formatRelative", () => {
  const now = Date.UTC(2026, 10, 30, 12, 0, 0);
  it("reads past times as ago", () => {
    expect(formatRelative(now - 42_000, now)).toBe("42s ago");
    expect(formatRelative(now - 3 * 3_600_000, now)).toBe("3h ago");
  });
  it("reads times in the future (clock skew, scaled sandbox clocks) as just now, never 'from now'", () => {
    expect(formatRelative(now + 13_000, now)).toBe("just now");
    expect(formatRelative(now + 2 * 3_600_000, now)).toBe("just now");
  });
});
