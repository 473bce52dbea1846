import { describe, expect, it } from "vitest";
import { fromDatetimeInput, toDatetimeInput } from "./datetime-input";

describe("datetime-local values", () => {
  const ms = Date.UTC(2026, 0, 2, 3, 4);

  it("shows and reads a moment in UTC", () => {
    expect(toDatetimeInput(ms, "utc")).toBe("2026-01-02T03:04");
    expect(fromDatetimeInput("2026-01-02T03:04", "utc")).toBe(ms);
    expect(fromDatetimeInput("2026-01-02T03:04:05", "utc")).toBe(ms + 5_000);
  });

  it("round-trips a moment in the local zone", () => {
    expect(fromDatetimeInput(toDatetimeInput(ms, "local"), "local")).toBe(ms);
  });

  it("reads an empty or malformed value as no moment", () => {
    expect(fromDatetimeInput("", "utc")).toBeUndefined();
    expect(fromDatetimeInput("yesterday", "utc")).toBeUndefined();
    expect(fromDatetimeInput("2026-13-45T99:99", "utc")).toBeUndefined();
  });
});
