import { describe, expect, it } from "vitest";
import {
  CreateDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RebootDBInstanceCommand,
  waitUntilDBInstanceAvailable,
} from "@aws-sdk/client-rds";
import { sandboxAdmin, sandboxClients, uniq } from "@/test/fixtures/sandbox";
import { until } from "@/test/until";

describe("RDS with AWS's clock", () => {
  const c = sandboxClients();
  const describe1 = async (id: string) => (await c.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];

  it("creating → available after the scaled delay; the SDK waiter works", async () => {
    const id = uniq("prefect");
    const created = await c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: "db.t3.micro",
        Engine: "postgres",
        EngineVersion: "15.4",
        AllocatedStorage: 20,
        MasterUsername: "prefect",
        MasterUserPassword: "password123!",
      }),
    );
    expect(created.DBInstance?.DBInstanceStatus).toBe("creating");
    const early = await describe1(id);
    expect(early?.DBInstanceStatus).toBe("creating");
    expect(early?.Endpoint).toBeUndefined();
    const started = Date.now();
    const result = await waitUntilDBInstanceAvailable(
      { client: c.rds, maxWaitTime: 30, minDelay: 1, maxDelay: 1 },
      { DBInstanceIdentifier: id },
    );
    expect(result.state).toBe("SUCCESS");
    expect(Date.now() - started).toBeGreaterThan(200); // 360 s / 200 ≈ 1.8 s, minus what elapsed already
    const db = await describe1(id);
    expect(db?.DBInstanceStatus).toBe("available");
    expect(db?.Endpoint?.Address).toContain(id);
  });

  it("modify shows pending values then applies; ApplyImmediately=false waits for maintenance; reboot", async () => {
    const id = uniq("prefect");
    await c.rds.send(
      new CreateDBInstanceCommand({
        DBInstanceIdentifier: id,
        DBInstanceClass: "db.t3.micro",
        Engine: "postgres",
        AllocatedStorage: 20,
        MasterUsername: "prefect",
        MasterUserPassword: "password123!",
      }),
    );
    await waitUntilDBInstanceAvailable({ client: c.rds, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { DBInstanceIdentifier: id });

    const mod = await c.rds.send(
      new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: "db.t3.small", ApplyImmediately: true }),
    );
    expect(mod.DBInstance?.DBInstanceClass).toBe("db.t3.micro");
    expect(mod.DBInstance?.PendingModifiedValues?.DBInstanceClass).toBe("db.t3.small");
    expect((await describe1(id))?.DBInstanceStatus).toBe("modifying");
    const applied = await until("class applied", async () => {
      const db = await describe1(id);
      return db?.DBInstanceStatus === "available" && db.DBInstanceClass === "db.t3.small" ? db : undefined;
    });
    expect(applied.PendingModifiedValues?.DBInstanceClass).toBeUndefined();

    await c.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, AllocatedStorage: 50, ApplyImmediately: false }));
    const pending = await describe1(id);
    expect(pending?.DBInstanceStatus).toBe("available");
    expect(pending?.AllocatedStorage).toBe(20);
    expect(pending?.PendingModifiedValues?.AllocatedStorage).toBe(50);
    await sandboxAdmin("/rds/maintenance", "POST", { dbInstanceIdentifier: id });
    await until("storage applied", async () => {
      const db = await describe1(id);
      return (db?.DBInstanceStatus === "available" && db.AllocatedStorage === 50) || undefined;
    });

    await c.rds.send(new RebootDBInstanceCommand({ DBInstanceIdentifier: id }));
    expect((await describe1(id))?.DBInstanceStatus).toBe("rebooting");
    await until("available after reboot", async () => (await describe1(id))?.DBInstanceStatus === "available" || undefined);
  });
});
