import { describe, expect, it } from "vitest";
import { desiredCountError } from "./desired-count";
import { scaleServiceSchema } from "@/lib/schemas/ops";

// The page checks desired counts without zod; the server parses them with it. Both must say the same thing.
describe("desiredCountError agrees with the server's schema", () => {
  for (const n of [0, 1, 3, 10, 11, 50, 51, 100, 101, -1, 2.5, Number.NaN, 1e9, -0.5]) {
    it(`for ${n}`, () => {
      const server = scaleServiceSchema.safeParse({ env: "production", service: "worker", desiredCount: n });
      const serverMessage = server.success ? null : (server.error.issues.find((i) => i.path[0] === "desiredCount")?.message ?? null);
      expect(desiredCountError(n)).toBe(serverMessage);
    });
  }
});
