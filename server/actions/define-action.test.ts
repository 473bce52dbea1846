import { beforeEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";

const state = vi.hoisted(() => ({
  user: undefined as
    undefined | { id: string; email: string; name: string; role: "viewer" | "operator" | "admin"; disabled: boolean; createdAt: number },
}));
const audit = vi.hoisted(() => vi.fn(async () => undefined));

vi.mock("@/server/auth/current", () => ({ currentUser: async () => state.user }));
vi.mock("@/server/db", () => ({ db: async () => ({ kind: "sqlite" }) }));
vi.mock("@/server/audit/audit", () => ({ recordAudit: audit }));
const revalidatePath = vi.hoisted(() => vi.fn());
const invalidateSnapshot = vi.hoisted(() => vi.fn());
vi.mock("next/cache", () => ({ revalidatePath }));
vi.mock("@/server/ops/snapshot-cache", () => ({ invalidateSnapshot }));

const { defineAction, stackRefresh } = await import("./define-action");
const { UserError } = await import("@/server/errors");

const service = vi.fn(async (input: { count: number }) => ({ scaledTo: input.count }));
const scale = defineAction({
  name: "service.scale",
  role: "operator",
  input: z.object({ count: z.number().int("Use a whole number.").min(0).max(10, "At most 10.") }),
  target: (i) => `service:${i.count}`,
  run: (input) => service(input),
});

const person = (role: "viewer" | "operator" | "admin") => ({
  id: "u1",
  email: `${role}@example.com`,
  name: role,
  role,
  disabled: false,
  createdAt: 0,
});

describe("defineAction", () => {
  beforeEach(() => {
    service.mockClear();
    audit.mockClear();
  });

  it("refuses an anonymous caller before anything else", async () => {
    state.user = undefined;
    const r = await scale({ count: 2 });
    expect(r).toEqual({ ok: false, error: "Your session has ended. Sign in again." });
    expect(service).not.toHaveBeenCalled();
    expect(audit).not.toHaveBeenCalled();
  });

  it("refuses a role that is too weak and audits the denial", async () => {
    state.user = person("viewer");
    const r = await scale({ count: 2 });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/needs the operator role/);
    expect(service).not.toHaveBeenCalled();
    expect(audit).toHaveBeenCalledWith(expect.anything(), expect.objectContaining({ outcome: "denied", action: "service.scale" }));
  });

  it("returns field-level messages for invalid input and never calls the service", async () => {
    state.user = person("operator");
    for (const bad of [{ count: 2.5 }, { count: 11 }, { count: "3" }, null, "x", { count: -1 }]) {
      const r = await scale(bad);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(Object.keys(r.fieldErrors ?? {})).not.toHaveLength(0);
    }
    const r = await scale({ count: 11 });
    expect(!r.ok && r.fieldErrors?.count).toEqual(["At most 10."]);
    expect(service).not.toHaveBeenCalled();
  });

  it("calls the service with parsed input, audits success and returns its data", async () => {
    state.user = person("admin");
    const r = await scale({ count: 3 });
    expect(r).toEqual({ ok: true, data: { scaledTo: 3 } });
    expect(service).toHaveBeenCalledWith({ count: 3 });
    expect(audit).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ outcome: "ok", target: "service:3", params: { count: 3 } }),
    );
  });

  it("shows a UserError's message, hides unexpected errors, and audits both", async () => {
    state.user = person("operator");
    service.mockRejectedValueOnce(new UserError("Worker desired count must be ≤ 4."));
    const r1 = await scale({ count: 5 });
    expect(r1).toEqual({ ok: false, error: "Worker desired count must be ≤ 4." });
    service.mockRejectedValueOnce(new Error("SELECT * FROM users; stack trace"));
    const r2 = await scale({ count: 5 });
    expect(r2.ok).toBe(false);
    expect(!r2.ok && r2.error).not.toMatch(/SELECT|stack/);
    expect(audit).toHaveBeenCalledTimes(2);
    expect(audit).toHaveBeenLastCalledWith(expect.anything(), expect.objectContaining({ outcome: "error" }));
  });

  it("refreshes the stack's snapshot and page after success only", async () => {
    state.user = person("operator");
    const restart = defineAction({
      name: "service.restart",
      role: "operator",
      input: z.object({ env: z.string() }),
      target: (i) => `stack:${i.env}`,
      refresh: (i) => stackRefresh(i.env),
      run: (input) => service({ count: input.env.length }),
    });
    revalidatePath.mockClear();
    invalidateSnapshot.mockClear();
    service.mockRejectedValueOnce(new UserError("Nothing to restart."));
    expect((await restart({ env: "staging" })).ok).toBe(false);
    expect(invalidateSnapshot).not.toHaveBeenCalled();
    expect(revalidatePath).not.toHaveBeenCalled();
    expect((await restart({ env: "staging" })).ok).toBe(true);
    expect(invalidateSnapshot).toHaveBeenCalledWith("staging");
    expect(revalidatePath).toHaveBeenCalledWith("/stacks/staging");
  });
});
