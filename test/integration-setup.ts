// Runs in every integration file (vitest `setupFiles`): after the file's own cleanup, stop simulating whatever it left
// running in the one shared sandbox — a stack whose destroy failed, a fixture kept for the whole file. The simulator
// reads every cluster, service and task and evaluates every alarm each tick, so leftovers slow every later file (a tick
// grew from ~0.2 s to ~1.8 s over a run) and make its timing depend on the files before it.
// Housekeeping goes to moto directly: it is not a product call and is not subject to AWS's deletion rules.
import { afterAll } from "vitest";
import { CloudWatchClient, DeleteAlarmsCommand, DescribeAlarmsCommand } from "@aws-sdk/client-cloudwatch";
import { DeleteClusterCommand, DeleteServiceCommand, ECSClient, ListClustersCommand, ListServicesCommand } from "@aws-sdk/client-ecs";
import { cleanupStacks } from "./fixtures/stack";
import { sandboxEnv } from "./fixtures/sandbox";

const moto = () => ({
  region: sandboxEnv("AWS_REGION"),
  endpoint: sandboxEnv("SANDBOX_MOTO_ENDPOINT"),
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});

async function sweepSandbox(): Promise<void> {
  await cleanupStacks();
  const ecs = new ECSClient(moto());
  const cw = new CloudWatchClient(moto());
  try {
    // The seed makes no cluster and no alarm: everything here was made by a test (the list is small: no paging).
    for (const cluster of (await ecs.send(new ListClustersCommand({}))).clusterArns ?? []) {
      for (const service of (await ecs.send(new ListServicesCommand({ cluster }))).serviceArns ?? [])
        await ecs.send(new DeleteServiceCommand({ cluster, service, force: true }));
      await ecs.send(new DeleteClusterCommand({ cluster }));
    }
    const alarms = ((await cw.send(new DescribeAlarmsCommand({}))).MetricAlarms ?? []).flatMap((a) => (a.AlarmName ? [a.AlarmName] : []));
    for (let i = 0; i < alarms.length; i += 100) await cw.send(new DeleteAlarmsCommand({ AlarmNames: alarms.slice(i, i + 100) }));
  } finally {
    ecs.destroy();
    cw.destroy();
  }
}

afterAll(sweepSandbox, 60_000);
