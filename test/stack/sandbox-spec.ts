// Shared by the provisioning integration tests: a spec on the sandbox's seeded VPC, a fresh store, fast polling.
import { randomBytes } from "node:crypto";
import { defaultSpec, type StackSpec } from "@/lib/stack-spec";
import { openDb } from "@/server/db";
import { defaultSleep } from "@/server/stack/apply";
import { configureRunner } from "@/server/stack/runs";
import { sandboxNetwork } from "@/test/fixtures/sandbox";

export function sandboxSpec(overrides: Partial<StackSpec> = {}): StackSpec {
  return {
    ...defaultSpec({ env: `t${randomBytes(3).toString("hex")}`, region: "us-east-1", ...sandboxNetwork() }),
    ...overrides,
  };
}

export async function freshStore() {
  return openDb({ file: ":memory:" });
}

/** Fast polling and backoff: the sandbox runs AWS's clock 200× faster. */
export function fastRunner(): void {
  configureRunner({ backoffBaseMs: 100, timing: { pollMs: 100, timeoutMs: 120_000, now: () => Date.now(), sleep: defaultSleep } });
}
