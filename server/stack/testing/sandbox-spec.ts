import "server-only";
import { randomBytes } from "node:crypto";
import { openDb } from "@/server/db";
import { defaultSpec, type StackSpec } from "@/lib/stack-spec";
import { configureRunner } from "../runs";

// Shared by the provisioning integration tests: a spec on the sandbox's seeded VPC, a fresh store, fast polling.

export function sandboxEnv(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run through the vitest "integration" project (test/global-sandbox.ts)`);
  return v;
}

export function sandboxSpec(overrides: Partial<StackSpec> = {}): StackSpec {
  return {
    ...defaultSpec({
      env: `t${randomBytes(3).toString("hex")}`,
      region: "us-east-1",
      vpcId: sandboxEnv("SANDBOX_VPC_ID"),
      privateSubnetIds: sandboxEnv("SANDBOX_PRIVATE_SUBNETS").split(","),
      publicSubnetIds: sandboxEnv("SANDBOX_PUBLIC_SUBNETS").split(","),
    }),
    ...overrides,
  };
}

export async function freshStore() {
  return openDb({ file: ":memory:" });
}

/** Fast polling and backoff: the sandbox runs AWS's clock 200× faster. */
export function fastRunner(): void {
  configureRunner({
    backoffBaseMs: 100,
    timing: {
      pollMs: 100,
      timeoutMs: 120_000,
      now: () => Date.now(),
      sleep: (ms, signal) =>
        new Promise((res, rej) => {
          const t = setTimeout(res, ms);
          signal.addEventListener(
            "abort",
            () => {
              clearTimeout(t);
              rej(new Error("Cancelled"));
            },
            { once: true },
          );
        }),
    },
  });
}
