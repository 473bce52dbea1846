import { afterEach, describe, expect, it } from "vitest";
import { DescribeServicesCommand, ECSClient, ListClustersCommand } from "@aws-sdk/client-ecs";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { DescribeVpcsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { DescribeAlarmsCommand, CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { isThrottlingError } from "@smithy/core/retry";
import { adminConfig, sandboxAdmin, sandboxClients } from "@/test/fixtures/sandbox";
import { cleanupStacks, minimalStack } from "@/test/fixtures/stack";

const base = () => adminConfig();

describe("fault injection", () => {
  afterEach(async () => {
    await sandboxAdmin("/faults", "DELETE");
    await cleanupStacks();
  });

  it("with 30% throttling, adaptive retries still complete a DescribeServices loop", async () => {
    const s = await minimalStack(sandboxClients());
    await s.createService("prefect-worker", s.workerTaskDef, 1);
    await sandboxAdmin("/calls", "DELETE");
    await sandboxAdmin("/faults", "POST", { throttle: 0.3, operations: ["DescribeServices"], seed: 7 });
    const ecs = new ECSClient({ ...base(), retryMode: "adaptive", maxAttempts: 8 });
    for (let i = 0; i < 10; i++) {
      const r = await ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-worker"] }));
      expect(r.services?.[0]?.serviceName).toBe("prefect-worker");
    }
    const calls = (await sandboxAdmin("/calls")) as { calls: Record<string, number> };
    const injected = ((await sandboxAdmin("/faults")) as { injected: Record<string, number> }).injected;
    expect(calls.calls["ecs:DescribeServices"]).toBeGreaterThan(10); // retries happened
    expect(injected.throttle).toBeGreaterThan(0);
  });

  it("injected errors parse as real AWS errors in every protocol", async () => {
    await sandboxAdmin("/faults", "POST", { throttle: 1, seed: 1 });
    const noRetry = { ...base(), maxAttempts: 1 };
    // [label, call, error name, $fault, HTTP status] as AWS answers them (EC2 throttles with 503).
    const cases: [string, () => Promise<unknown>, string, string, number][] = [
      ["ecs (JSON 1.1)", () => new ECSClient(noRetry).send(new ListClustersCommand({})), "ThrottlingException", "client", 400],
      [
        "cloudwatch (JSON 1.0, query-compatible)",
        () => new CloudWatchClient(noRetry).send(new DescribeAlarmsCommand({})),
        "Throttling",
        "client",
        400,
      ],
      ["rds (query)", () => new RDSClient(noRetry).send(new DescribeDBInstancesCommand({})), "Throttling", "client", 400],
      ["ec2 (ec2 query)", () => new EC2Client(noRetry).send(new DescribeVpcsCommand({})), "RequestLimitExceeded", "server", 503],
    ];
    for (const [label, call, name, fault, status] of cases) {
      const err = await call().then(
        () => undefined,
        (e: unknown) => e as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
      );
      expect(err, label).toBeDefined();
      expect(err?.name, label).toBe(name);
      expect(err?.$fault, label).toBe(fault);
      expect(err?.$metadata?.httpStatusCode, label).toBe(status);
      expect(isThrottlingError(err as never), label).toBe(true);
      expect(err?.message, label).toMatch(/Rate exceeded|Request limit exceeded/);
    }

    await sandboxAdmin("/faults", "POST", { error5xx: 1, operations: ["ListClusters"], seed: 1 });
    const e5 = await new ECSClient(noRetry).send(new ListClustersCommand({})).then(
      () => undefined,
      (e: unknown) => e as Error & { $fault?: string; $metadata?: { httpStatusCode?: number } },
    );
    expect(e5?.$metadata?.httpStatusCode).toBe(500);
    expect(e5?.$fault).toBe("server");
  });

  it("dropped connections and latency are retried by the SDK", async () => {
    await sandboxAdmin("/faults", "POST", { drop: 0.5, latencyMs: 20, operations: ["ListClusters"], seed: 3 });
    const ecs = new ECSClient({ ...base(), maxAttempts: 10 });
    const started = Date.now();
    for (let i = 0; i < 5; i++) await ecs.send(new ListClustersCommand({}));
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    const injected = ((await sandboxAdmin("/faults")) as { injected: Record<string, number> }).injected;
    expect(injected.drop).toBeGreaterThan(0);
  });
});
