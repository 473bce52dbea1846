import { afterEach, describe, expect, it } from "vitest";
import { DescribeServicesCommand, UpdateServiceCommand } from "@aws-sdk/client-ecs";
import { minimalStack, cleanupStacks } from "@/test/fixtures/stack";
import { sandboxClients } from "@/test/fixtures/sandbox";
import { until } from "@/test/until";

describe("deployment circuit breaker", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();

  it("a task definition whose command fails trips the breaker and rolls back to the last good one", async () => {
    const s = await minimalStack(c);
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    await until("first deployment completed", async () => {
      const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
      return svc?.deployments?.[0]?.rolloutState === "COMPLETED" || undefined;
    });
    const bad = await s.registerServer(["prefect", "server", "start", "--fail"]);
    await c.ecs.send(new UpdateServiceCommand({ cluster: s.cluster, service: "prefect-server", taskDefinition: bad }));

    const rolledBack = await until(
      "rollback",
      async () => {
        const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
        return svc?.events?.some((e) => /rolling back to deployment/.test(e.message ?? "")) ? svc : undefined;
      },
      60_000,
    );
    expect(rolledBack.events?.some((e) => /deployment failed: tasks failed to start/.test(e.message ?? ""))).toBe(true);
    const failed = rolledBack.deployments?.find((d) => d.taskDefinition === bad);
    expect(failed?.rolloutState ?? "gone").toMatch(/FAILED|gone/);

    const settled = await until(
      "back on the good revision",
      async () => {
        const svc = (await c.ecs.send(new DescribeServicesCommand({ cluster: s.cluster, services: ["prefect-server"] }))).services?.[0];
        return svc?.taskDefinition === s.serverTaskDef && svc.deployments?.length === 1 && svc.deployments[0]?.rolloutState === "COMPLETED"
          ? svc
          : undefined;
      },
      60_000,
    );
    expect(settled.runningCount).toBe(1);
    expect(settled.deploymentConfiguration?.deploymentCircuitBreaker).toEqual({ enable: true, rollback: true });
  });
});
