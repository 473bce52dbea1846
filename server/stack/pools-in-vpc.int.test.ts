import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "@/server/db";
import { stackNames } from "@/lib/names";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { sandboxAdmin } from "@/test/fixtures/sandbox";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";

// The seed's shape: an internal load balancer, and the console outside the VPC — it cannot reach the Prefect API.
// Played here by pointing the console's HTTP proxy (its only way into the sandbox's ALBs) at a closed port before
// its first Prefect call. The apply must not wait for the API: it creates the work pools from inside the VPC with a
// one-off ECS task running the Prefect CLI, the run says so, and the stack is not failed.

process.env.HTTP_PROXY = "http://127.0.0.1:9";
process.env.HTTPS_PROXY = "http://127.0.0.1:9";

describe("work pools when the console cannot reach the Prefect API", () => {
  const db = openDb({ file: ":memory:" });
  afterAll(async () => (await db).close());

  it("creates them with a one-off task inside the VPC, with the stack's job template", async () => {
    fastRunner();
    const spec = sandboxSpec({ albScheme: "internal" });
    const store = await db;
    const id = await createRun(store, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
    const status = await executeRun(store, id);
    const run = await getRun(store, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(status).toBe("succeeded");
    expect(run?.steps.find((s) => s.key === "work-pools")?.detail).toMatch(/^created from inside the VPC by one-off task \w+/);

    // What the Prefect server now has, asked from inside the VPC (the sandbox's admin endpoint plays an operator
    // there: the internal ALB never answers a client outside it, the test included).
    const pools = (await sandboxAdmin("/prefect/work-pools", "POST", { cluster: stackNames(spec.env).cluster })) as {
      name: string;
      type: string;
      base_job_template: { variables?: { properties?: Record<string, { default?: unknown }> } };
    }[];
    expect(pools.map((p) => `${p.name}:${p.type}`).sort()).toEqual(["default:process", "production:ecs"]);
    const vars = pools.find((p) => p.name === "production")?.base_job_template.variables?.properties ?? {};
    expect(vars.cluster?.default).toBe(`prefect-${spec.env}`);
    expect(vars.network_configuration?.default).toMatchObject({ assignPublicIp: "DISABLED" });

    // Re-planning: the stopped task shows the pools are as wanted — nothing to do, and no second task.
    const replan = await planApply(spec);
    expect(replan.items.find((i) => i.key === "work-pools")?.action).toBe("noop");

    const d = await createRun(store, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(store, d)).toBe("succeeded");
  });
});
