import { describe, expect, it } from "vitest";
import { compareVersions, prefectVersionOfImage } from "./versions";

describe("server and worker Prefect versions", () => {
  it("match when both run the same release", () => {
    expect(compareVersions("3.6.29", "3.6.29").state).toBe("match");
  });
  it("a mismatch is flagged with both versions named", () => {
    const c = compareVersions("3.6.29", "3.4.1");
    expect(c.state).toBe("mismatch");
    expect(c.message).toContain("3.6.29");
    expect(c.message).toContain("3.4.1");
  });
  it("a floating tag names no version: not compared, and says which side", () => {
    expect(prefectVersionOfImage("prefecthq/prefect:3-latest")).toBeUndefined();
    expect(compareVersions("3.6.29", prefectVersionOfImage("prefecthq/prefect:3-latest"))).toMatchObject({
      state: "unknown",
      message: expect.stringContaining("worker"),
    });
  });
});
