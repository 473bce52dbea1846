import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "@/server/db";
import { minimalStack } from "@/test/fixtures/stack";
import { sandboxClients } from "@/test/fixtures/sandbox";
import { getStack } from "@/server/stack/registry";
import { discoverStack } from "./adopt";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun } from "./runs";
import { fastRunner } from "@/test/stack/sandbox-spec";

// Adopt: a stack made outside the console with the seed's names (cluster, ALB, target group, listener, task
// definitions, server service) is found by name, read back into a spec, planned (existing things are updates, not
// creates), applied, and then managed: the re-plan is empty.

describe("adopt an existing stack", () => {
  const db = openDb({ file: ":memory:" });
  afterAll(async () => (await db).close());

  it("discovers, plans updates for what exists, applies, and converges", async () => {
    fastRunner();
    // Made outside the console, with a health check interval the console does not use (15 s): the plan must fix it.
    const s = await minimalStack(sandboxClients(), { healthCheckIntervalSeconds: 15 });
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    const region = "us-east-1" as const;

    const found = await discoverStack(s.env, region);
    expect(found.found).toEqual(
      expect.arrayContaining([`load balancer prefect-${s.env}`, `cluster prefect-${s.env}`, "service prefect-server"]),
    );
    expect(found.spec.albScheme).toBe("internet-facing");
    expect(found.spec.privateSubnetIds.sort()).toEqual([...s.subnets].sort());

    const plan = await planApply(found.spec);
    const action = (key: string) => plan.items.find((i) => i.key === key)?.action;
    expect(action("alb")).toBe("noop");
    expect(action("listeners")).toBe("noop");
    expect(action("cluster")).toBe("update"); // Container Insights was off
    expect(action("target-group")).toBe("update"); // health check interval 15 → 30
    expect(action("taskdef-server")).toBe("update");
    expect(action("service-server")).toBe("update"); // → the new task definition revision
    expect(plan.items.find((i) => i.key === "service-server")?.changes[0]).toMatchObject({
      field: "task definition",
      to: "(new revision)",
    });
    expect(action("sg-tasks")).toBe("update"); // no rule from the ALB's group yet
    expect(action("rds")).toBe("create");

    const store = await db;
    const id = await createRun(store, { spec: found.spec, plan, kind: "apply", createdBy: "test", adopted: true });
    expect(await executeRun(store, id)).toBe("succeeded");
    expect((await getStack(store, s.env))?.adopted).toBe(true);
    const replan = await planApply(found.spec);
    expect(replan.items.filter((i) => i.action !== "noop").map((i) => `${i.key} ${JSON.stringify(i.changes)}`)).toEqual([]);

    const d = await createRun(store, { spec: found.spec, plan: await planDestroy(found.spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(store, d)).toBe("succeeded");
  });
});
