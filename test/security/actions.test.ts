import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { PUBLIC_ACTIONS, serverActionModules } from "./app-files";

// Every exported server action, called by an anonymous browser with an empty and a junk payload, must refuse
// without doing anything. The store is a fresh in-memory SQLite with no users.
vi.mock("next/headers", () => ({
  cookies: async () => ({ get: () => undefined, set: () => undefined, delete: () => undefined, has: () => false }),
  headers: async () => new Headers(),
}));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined, revalidateTag: () => undefined, refresh: () => undefined }));
vi.mock("next/navigation", () => ({
  redirect: (to: string) => {
    throw new Error(`redirect to ${to}`);
  },
  forbidden: () => {
    throw new Error("forbidden");
  },
  notFound: () => {
    throw new Error("not found");
  },
}));
vi.mock("@/server/db", async () => {
  const { openDb } = await vi.importActual<typeof import("@/server/db/index")>("@/server/db/index");
  const store = openDb({ file: ":memory:" });
  return { db: () => store, openDb };
});

const modules = serverActionModules();

describe("server actions refuse anonymous callers", () => {
  it("finds the app's server action modules", () => {
    const rel = modules.map((f) => path.relative(process.cwd(), f));
    expect(rel).toEqual(
      expect.arrayContaining(["app/(auth)/login/actions.ts", "app/(console)/users/actions.ts", "app/(console)/account/actions.ts"]),
    );
  });

  for (const file of modules) {
    const rel = path.relative(process.cwd(), file);
    it(`${rel}: every export refuses an anonymous caller`, async () => {
      const mod = (await import(file)) as Record<string, unknown>;
      const exported = Object.entries(mod).filter(([, v]) => typeof v === "function") as Array<
        [string, (...a: unknown[]) => Promise<unknown>]
      >;
      expect(exported.length).toBeGreaterThan(0);
      for (const [name, fn] of exported) {
        for (const payload of [{}, { id: "x", desired: 3, env: "production" }]) {
          const result = (await fn(payload)) as { ok: boolean; error?: string; fieldErrors?: Record<string, string[]> };
          expect(result, `${rel} ${name}`).toMatchObject({ ok: false });
          if (PUBLIC_ACTIONS.has(name)) expect(result.fieldErrors, `${name} must reject invalid input field by field`).toBeDefined();
          else expect(result.error, `${rel} ${name}`).toMatch(/session has ended|Sign in/i);
        }
      }
      // The first import of an action module transforms its whole server graph: seconds on a cold, busy machine.
    }, 30_000);
  }
});
