import { describe, expect, it } from "vitest";
import { mapLimit } from "./map-limit";

describe("mapLimit", () => {
  it("keeps at most `limit` calls in flight, uses all of them, and returns results in input order", async () => {
    let inFlight = 0;
    let max = 0;
    const out = await mapLimit([5, 1, 4, 2, 3, 0, 6, 7], 4, async (ms) => {
      inFlight += 1;
      max = Math.max(max, inFlight);
      await new Promise((r) => setTimeout(r, ms * 5));
      inFlight -= 1;
      return ms * 10;
    });
    expect(max).toBe(4);
    expect(out).toEqual([50, 10, 40, 20, 30, 0, 60, 70]);
  });
});
