import { describe, expect, it, vi } from "vitest";
import { PUBLIC_ENDPOINTS, routeFiles, urlFor } from "./app-files";

// The health probes are the only route handlers anyone may call without a session (proxy.ts lets them through;
// e2e/security.spec.ts checks every other one refuses). Called here as a probe calls them: no cookie, no headers.
// They must answer and say nothing beyond their status.
vi.mock("@/server/db", async () => {
  const { openDb } = await vi.importActual<typeof import("@/server/db/index")>("@/server/db/index");
  const store = openDb({ file: ":memory:" });
  return { db: () => store, openDb };
});

const publicRoutes = routeFiles().filter((f) => PUBLIC_ENDPOINTS.has(urlFor(f)));

describe("public endpoints", () => {
  it("are exactly the health probes, each a route handler in app/", () => {
    expect(publicRoutes.map(urlFor).sort()).toEqual([...PUBLIC_ENDPOINTS].sort());
  });

  for (const file of publicRoutes) {
    it(`${urlFor(file)} answers an anonymous GET with its status only, uncached, and has no other method`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      expect(Object.keys(mod).filter((k) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(k))).toEqual(["GET"]);
      const res = await (mod.GET as () => Promise<Response> | Response)();
      expect(res.status).toBe(200);
      expect(res.headers.get("cache-control")).toContain("no-store");
      expect(Object.keys((await res.json()) as object)).toEqual(["status"]);
    });
  }
});
