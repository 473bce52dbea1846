import { beforeEach, describe, expect, it, vi } from "vitest";
import { INVALID_SPEC_CASES, invalidInput, validSpec } from "@/test/fixtures/invalid-stack-specs";

// Bad input posted straight to the provisioning actions (no browser validation): every case gets a field-level
// message, no AWS API is called, nothing is stored. A viewer is refused the same way.

const state = vi.hoisted(() => ({
  user: undefined as
    undefined | { id: string; email: string; name: string; role: "viewer" | "operator" | "admin"; disabled: boolean; createdAt: number },
}));
vi.mock("@/server/auth/current", () => ({ currentUser: async () => state.user }));
vi.mock("next/cache", () => ({ revalidatePath: () => undefined }));
vi.mock("@/server/db", async (importOriginal) => {
  const real = await importOriginal<typeof import("@/server/db")>();
  const store = await real.openDb({ file: ":memory:" });
  return { ...real, db: async () => store };
});

const { applyStack, planStack } = await import("./actions");
const { db } = await import("@/server/db");
const { resetAwsCallCounts, totalAwsCalls } = await import("@/server/aws/client");

const person = (role: "viewer" | "operator" | "admin") => ({
  id: "u1",
  email: `${role}@example.com`,
  name: role,
  role,
  disabled: false,
  createdAt: 0,
});

async function stored(): Promise<number> {
  const store = await db();
  const [runs, stacks] = await Promise.all([
    store.get<{ n: number }>("SELECT COUNT(*) AS n FROM runs"),
    store.get<{ n: number }>("SELECT COUNT(*) AS n FROM stacks"),
  ]);
  return Number(runs?.n ?? 0) + Number(stacks?.n ?? 0);
}

describe("provisioning actions with bad input", () => {
  beforeEach(() => {
    state.user = person("operator");
    resetAwsCallCounts();
  });

  it.each(INVALID_SPEC_CASES)("apply: %s → field message, zero AWS calls, nothing stored", async (_label, patch, field) => {
    const r = await applyStack({ spec: invalidInput(patch), mode: "new" });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const key = field === "_form" ? "spec" : `spec.${field}`;
    expect(Object.keys(r.fieldErrors ?? {})).toContain(key);
    expect(totalAwsCalls()).toBe(0);
    expect(await stored()).toBe(0);
  });

  it("wrong shapes posted to the action are refused the same way", async () => {
    for (const raw of [
      null,
      "spec",
      42,
      [],
      { spec: validSpec },
      { spec: validSpec, mode: "delete-everything" },
      { spec: validSpec, mode: "new", extra: 1 },
    ]) {
      const r = await applyStack(raw);
      expect(r.ok).toBe(false);
      const p = await planStack(raw);
      expect(p.ok).toBe(false);
    }
    expect(totalAwsCalls()).toBe(0);
    expect(await stored()).toBe(0);
  });

  it("editing cannot move a stack to another region or VPC, and a new stack cannot take a used name (no AWS call)", async () => {
    const store = await db();
    const { upsertStack } = await import("@/server/stack/registry");
    await upsertStack(store, {
      env: "moving",
      region: "eu-west-2",
      spec: { ...validSpec, env: "moving" },
      status: "ready",
      createdBy: "t",
    });
    const moved = await planStack({ spec: { ...validSpec, env: "moving", region: "us-east-1" }, mode: "edit" });
    expect(moved).toMatchObject({ ok: false, error: expect.stringMatching(/cannot move to another region/) });
    const otherVpc = await applyStack({ spec: { ...validSpec, env: "moving", vpcId: "vpc-0fff0000" }, mode: "edit" });
    expect(otherVpc).toMatchObject({ ok: false, error: expect.stringMatching(/cannot move to another VPC/) });
    const taken = await planStack({ spec: { ...validSpec, env: "moving" }, mode: "new" });
    expect(taken).toMatchObject({ ok: false, fieldErrors: { "spec.env": [expect.stringMatching(/taken/)] } });
    expect(totalAwsCalls()).toBe(0);
    await store.run("DELETE FROM stacks WHERE env = 'moving'");
  });

  it("a viewer cannot plan or apply, even with a valid spec", async () => {
    state.user = person("viewer");
    const r = await applyStack({ spec: validSpec, mode: "new" });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/needs the operator role/) });
    const p = await planStack({ spec: validSpec, mode: "new" });
    expect(p.ok).toBe(false);
    expect(totalAwsCalls()).toBe(0);
    expect(await stored()).toBe(0);
  });
});
