import { describe, expect, it } from "vitest";
import { DescribeTaskDefinitionCommand, ECSClient } from "@aws-sdk/client-ecs";
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  ElasticLoadBalancingV2Client,
} from "@aws-sdk/client-elastic-load-balancing-v2";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { stackNames } from "@/lib/names";
import { stackSecretNames } from "@/lib/stack-names";
import { openDb } from "@/server/db";
import { planApply, planDestroy } from "./plan";
import { createRun, executeRun, getRun } from "./runs";
import { sandboxEnv } from "@/test/fixtures/sandbox";
import { fastRunner, sandboxSpec } from "@/test/stack/sandbox-spec";

// The options beyond the seed: an ACM certificate (HTTPS listener + HTTP→HTTPS redirect), basic auth (a generated
// user:password in Secrets Manager, injected through ECS secrets, used by the console for the work pools),
// an internet-facing ALB and a process worker pool.

describe("a stack with HTTPS and basic auth", () => {
  it("applies, wires the listeners and the auth secret, re-plans empty, destroys", async () => {
    fastRunner();
    const db = await openDb({ file: ":memory:" });
    const base = sandboxSpec({
      basicAuth: true,
      albScheme: "internet-facing",
      workerPoolType: "process",
      workerPoolName: "batch",
    });
    // HTTPS needs a name the certificate covers (never the ALB's own): <env>.sandbox.example.com under the wildcard.
    const spec = {
      ...base,
      certificateArn: sandboxEnv("SANDBOX_WILDCARD_CERT_ARN"),
      domainName: `${base.env}.${sandboxEnv("SANDBOX_DOMAIN")}`,
    };
    const n = stackNames(spec.env);
    const id = await createRun(db, { spec, plan: await planApply(spec), kind: "apply", createdBy: "test" });
    const status = await executeRun(db, id);
    const run = await getRun(db, id);
    expect(run?.steps.filter((s) => s.status !== "done").map((s) => `${s.key}: ${s.error ?? s.status}`)).toEqual([]);
    expect(status).toBe("succeeded");
    expect(run?.apiUrl).toBe(`https://${spec.domainName}/api`);

    const elb = new ElasticLoadBalancingV2Client({ region: spec.region });
    const lb = (await elb.send(new DescribeLoadBalancersCommand({ Names: [n.alb] }))).LoadBalancers?.[0];
    expect(lb?.Scheme).toBe("internet-facing");
    const ls = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb?.LoadBalancerArn }))).Listeners ?? [];
    expect(ls.map((l) => `${l.Port}:${l.Protocol}:${l.DefaultActions?.[0]?.Type}`).sort()).toEqual([
      "443:HTTPS:forward",
      "80:HTTP:redirect",
    ]);

    const authSecret = await new SecretsManagerClient({ region: spec.region }).send(
      new GetSecretValueCommand({ SecretId: stackSecretNames(spec.env).apiAuth }),
    );
    const auth = authSecret.SecretString ?? "";
    expect(auth).toMatch(/^admin:[A-Za-z0-9]{32}$/);
    const ecs = new ECSClient({ region: spec.region });
    for (const family of [n.serverTaskFamily, n.workerTaskFamily]) {
      const td = (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: family }))).taskDefinition;
      expect(JSON.stringify(td)).not.toContain(auth.split(":")[1]);
      expect(td?.containerDefinitions?.[0]?.secrets?.some((s) => s.valueFrom === authSecret.ARN)).toBe(true);
    }

    const replan = await planApply(spec);
    expect(replan.items.filter((i) => i.action !== "noop").map((i) => `${i.key} ${JSON.stringify(i.changes)}`)).toEqual([]);
    const d = await createRun(db, { spec, plan: await planDestroy(spec), kind: "destroy", createdBy: "test" });
    expect(await executeRun(db, d)).toBe("succeeded");
    await db.close();
  });
});
