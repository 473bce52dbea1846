import { afterAll, describe, expect, it } from "vitest";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { stackNames } from "@/lib/names";
import { stackSecretNames } from "@/lib/stack-names";
import { openDb } from "@/server/db";
import { adminConfig } from "@/test/fixtures/sandbox";
import { discoverStack } from "./adopt";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { latestTaskDefinition } from "./resources/task-definitions";
import { fastRunner } from "@/test/stack/sandbox-spec";
import { createWalkthroughStack } from "@/test/stack/walkthrough-stack";

// Adopting the Terraform walkthrough's stack keeps it working: its database password (in the walkthrough's secret and,
// in clear text, in the server task definition) is carried into the console's own secret — never replaced — the
// server restarts on a task definition that references the secret by ARN, and no plan or run row shows the password.

describe("adopt the Terraform walkthrough's stack", () => {
  const db = openDb({ file: ":memory:" });
  afterAll(async () => (await db).close());

  it("keeps the database password, moves it into Secrets Manager, and the server stays healthy", async () => {
    fastRunner();
    const region = "us-east-1" as const;
    const w = await createWalkthroughStack(region);
    const n = stackNames(w.env);

    const found = await discoverStack(w.env, region);
    const plan = await planApply(found.spec);
    expect(JSON.stringify(plan)).not.toContain(w.password);
    const envChange = plan.items.find((i) => i.key === "taskdef-server")?.changes.find((c) => c.field === "environment");
    expect(envChange?.to).toContain("PREFECT_API_DATABASE_CONNECTION_URL removed");
    // Terraform's security groups lack the stack tag the console's policy needs to change their rules: claiming them is
    // a planned change of its own (docs/provisioning.md "Claiming the walkthrough's security groups").
    for (const key of ["sg-alb", "sg-tasks", "sg-rds"])
      expect(plan.items.find((i) => i.key === key)?.changes).toContainEqual({
        field: "tag prefect-console:stack",
        from: "(none)",
        to: w.env,
      });

    const store = await db;
    const id = await createRun(store, { spec: found.spec, plan, kind: "apply", createdBy: "test", adopted: true });
    const status = await executeRun(store, id);
    const run = await getRun(store, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(status).toBe("succeeded");
    expect(JSON.stringify(run)).not.toContain(w.password);

    // The console's secrets hold the walkthrough's password, not a new one.
    const sm = new SecretsManagerClient({ ...adminConfig(), region });
    const secret = async (name: string) => (await sm.send(new GetSecretValueCommand({ SecretId: name }))).SecretString ?? "";
    expect(await secret(stackSecretNames(w.env).dbPassword)).toBe(w.password);
    expect(await secret(stackSecretNames(w.env).dbUrl)).toContain(`prefect:${encodeURIComponent(w.password)}@`);

    // The password left the plain environment; the URL arrives through ECS secrets, by ARN.
    const td = await latestTaskDefinition(region, n.serverTaskFamily);
    const c = td?.containerDefinitions?.[0];
    expect(JSON.stringify(c?.environment ?? [])).not.toContain(w.password);
    expect(c?.secrets?.find((s) => s.name === "PREFECT_API_DATABASE_CONNECTION_URL")?.valueFrom).toMatch(/^arn:aws:secretsmanager:/);

    // The server runs that revision, steady (the run's service step waited for it; checked here once more).
    const svc = (
      await new ECSClient({ ...adminConfig(), region }).send(
        new DescribeServicesCommand({ cluster: n.cluster, services: [n.serverService] }),
      )
    ).services?.[0];
    expect(svc?.taskDefinition).toBe(td?.taskDefinitionArn);
    expect(svc?.runningCount).toBe(1);
    expect(svc?.deployments?.find((d) => d.status === "PRIMARY")?.rolloutState).toBe("COMPLETED");

    const d = await createRun(store, { spec: found.spec, plan: await planDestroy(found.spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(store, d)).toBe("succeeded");
  });
});
