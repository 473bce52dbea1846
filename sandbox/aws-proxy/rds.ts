// RDS with AWS's clock: a new instance is `creating` then `backing-up` then `available` (~6 min / time scale, no
// Endpoint until then); ModifyDBInstance shows PendingModifiedValues and the old values until applied (at once as
// `modifying` with ApplyImmediately, else at the next maintenance window: POST /rds/maintenance); reboot shows
// `rebooting`; a deleted instance stays `deleting` for a while. moto applies everything instantly; we rewrite XML.
import { DescribeDBInstancesCommand } from "@aws-sdk/client-rds";
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import type { RdsLife, World } from "../world";
import { AWS_SECONDS } from "../physics/timing";
import { appendChild, blocks, mapBlocks, removeElement, setTagText, tagText, xmlEscape } from "../util/xml";
import type { ProxyEnv, RewriterTable } from "./types";

/** Form parameter → DBInstance element that stays pending until the change is applied. */
const PENDABLE: Record<string, string> = {
  DBInstanceClass: "DBInstanceClass",
  AllocatedStorage: "AllocatedStorage",
  MultiAZ: "MultiAZ",
  StorageType: "StorageType",
  EngineVersion: "EngineVersion",
  Iops: "Iops",
  MasterUserPassword: "MasterUserPassword",
};

export interface RdsView {
  status?: string;
  hideEndpoint: boolean;
  showPending: boolean;
}

/** What an instance looks like at `now` given its recorded life. Pure. */
export function rdsView(life: RdsLife | undefined, now: number, scaled: (s: number) => number): RdsView {
  if (!life) return { hideEndpoint: false, showPending: false };
  if (life.deleting) return { status: "deleting", hideEndpoint: false, showPending: false };
  if (life.createdAt !== undefined) {
    const total = scaled(AWS_SECONDS.rdsCreate);
    if (now < life.createdAt + total * 0.8) return { status: "creating", hideEndpoint: true, showPending: false };
    if (now < life.createdAt + total) return { status: "backing-up", hideEndpoint: false, showPending: false };
  }
  if (life.rebootUntil !== undefined && now < life.rebootUntil)
    return { status: "rebooting", hideEndpoint: false, showPending: !!life.modification };
  const m = life.modification;
  if (m) {
    if (m.applyAt === null) return { hideEndpoint: false, showPending: true };
    if (now < m.applyAt) return { status: "modifying", hideEndpoint: false, showPending: true };
  }
  return { hideEndpoint: false, showPending: false };
}

function expire(world: World, now: number): void {
  for (const [id, life] of world.rds) {
    if (life.modification?.applyAt != null && now >= life.modification.applyAt) delete life.modification;
    if (life.deleting && now >= life.deleting.until) world.rds.delete(id);
  }
}

export function overlayDbInstance(world: World, block: string, now: number): string {
  const id = tagText(block, "DBInstanceIdentifier");
  if (!id) return block;
  const life = world.rds.get(id);
  const v = rdsView(life, now, (s) => world.scaled(s));
  let out = block;
  // MaxAllocatedStorage equal to the allocated storage means storage autoscaling is off: AWS then omits it.
  const max = Number(tagText(out, "MaxAllocatedStorage") ?? NaN);
  if (max <= Number(tagText(out, "AllocatedStorage") ?? NaN)) out = removeElement(out, "MaxAllocatedStorage");
  if (v.status) out = setTagText(out, "DBInstanceStatus", v.status);
  if (v.hideEndpoint) out = removeElement(out, "Endpoint");
  const m = life?.modification;
  if (v.showPending && m) {
    for (const [el, oldValue] of Object.entries(m.old)) out = setTagText(out, el, oldValue);
    const pending = Object.entries(m.pending)
      .map(([el, val]) => `<${el}>${xmlEscape(el === "MasterUserPassword" ? "****" : val)}</${el}>`)
      .join("");
    out = removeElement(out, "PendingModifiedValues");
    out = appendChild(out, "DBInstance", `<PendingModifiedValues>${pending}</PendingModifiedValues>`);
  }
  return out;
}

export const rdsRewriters: RewriterTable = {
  "rds:CreateDBInstance": {
    async after(env, call, res) {
      if (res.status !== 200) return res;
      const id = call.req.form?.get("DBInstanceIdentifier");
      if (id) env.world.rds.set(id, { createdAt: call.now });
      if (id) await syncLogin(env, id, res.body, call.req.form?.get("MasterUserPassword") ?? undefined);
      return { ...res, body: mapBlocks(res.body, "DBInstance", (b) => overlayDbInstance(env.world, b, call.now)) };
    },
  },
  "rds:DescribeDBInstances": {
    after(env, call, res) {
      expire(env.world, call.now);
      const requested = call.req.form?.get("DBInstanceIdentifier") ?? undefined;
      const deleting = [...env.world.rds.entries()].filter(([id, l]) => l.deleting && (!requested || requested === id));
      if (res.status !== 200) {
        // Deleted in moto already, but AWS still shows it as `deleting` for a while.
        const d = deleting[0];
        if (res.status === 404 && d?.[1].deleting) {
          return {
            status: 200,
            headers: { "content-type": "text/xml" },
            body: `<DescribeDBInstancesResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBInstancesResult><DBInstances>${d[1].deleting.xml}</DBInstances></DescribeDBInstancesResult><ResponseMetadata><RequestId>${crypto.randomUUID()}</RequestId></ResponseMetadata></DescribeDBInstancesResponse>`,
          };
        }
        return res;
      }
      let body = mapBlocks(res.body, "DBInstance", (b) => overlayDbInstance(env.world, b, call.now));
      const present = new Set(blocks(body, "DBInstance").map((b) => tagText(b, "DBInstanceIdentifier")));
      const extra = deleting
        .filter(([id]) => !present.has(id))
        .map(([, l]) => l.deleting?.xml ?? "")
        .join("");
      if (extra)
        body = body.includes("<DBInstances/>")
          ? body.replace("<DBInstances/>", `<DBInstances>${extra}</DBInstances>`)
          : body.replace("</DBInstances>", `${extra}</DBInstances>`);
      return { ...res, body };
    },
  },
  "rds:ModifyDBInstance": {
    async before(env, call) {
      const id = call.req.form?.get("DBInstanceIdentifier");
      if (!id) return;
      const r = await env.moto.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id })).catch(() => undefined);
      const db = r?.DBInstances?.[0];
      if (!db) return;
      const current: Record<string, string | undefined> = {
        DBInstanceClass: db.DBInstanceClass,
        AllocatedStorage: db.AllocatedStorage?.toString(),
        MultiAZ: db.MultiAZ === undefined ? undefined : String(db.MultiAZ),
        StorageType: db.StorageType,
        EngineVersion: db.EngineVersion,
        Iops: db.Iops?.toString(),
      };
      call.memo.current = current;
    },
    async after(env, call, res) {
      const form = call.req.form;
      const id = form?.get("DBInstanceIdentifier");
      const current = call.memo.current as Record<string, string | undefined> | undefined;
      if (res.status !== 200 || !form || !id || !current) return res;
      // A new master password (or a switch to an RDS-managed one) is applied asynchronously "as soon as possible",
      // whatever ApplyImmediately says (ModifyDBInstance, MasterUserPassword): the login changes now.
      const newPassword = form.get("MasterUserPassword") ?? undefined;
      if (newPassword !== undefined || form.get("ManageMasterUserPassword") === "true" || form.get("RotateMasterUserPassword") === "true")
        await syncLogin(env, id, res.body, newPassword);
      const pending: Record<string, string> = {};
      const old: Record<string, string> = {};
      for (const [param, el] of Object.entries(PENDABLE)) {
        const v = form.get(param);
        if (v === null) continue;
        if (current[el] !== undefined && current[el] === v) continue;
        pending[el] = v;
        const prev = current[el];
        if (prev !== undefined) old[el] = prev;
      }
      if (Object.keys(pending).length > 0) {
        const life = env.world.rds.get(id) ?? {};
        const applyNow = form.get("ApplyImmediately") === "true";
        const prevMod = life.modification;
        life.modification = {
          requestedAt: call.now,
          applyAt: applyNow ? call.now + env.world.scaled(AWS_SECONDS.rdsModify) : (prevMod?.applyAt ?? null),
          pending: { ...(prevMod?.pending ?? {}), ...pending },
          old: { ...old, ...(prevMod?.old ?? {}) },
        };
        env.world.rds.set(id, life);
      }
      return { ...res, body: mapBlocks(res.body, "DBInstance", (b) => overlayDbInstance(env.world, b, call.now)) };
    },
  },
  "rds:RebootDBInstance": {
    after(env, call, res) {
      const id = call.req.form?.get("DBInstanceIdentifier");
      if (res.status !== 200 || !id) return res;
      const life = env.world.rds.get(id) ?? {};
      life.rebootUntil = call.now + env.world.scaled(AWS_SECONDS.rdsReboot);
      env.world.rds.set(id, life);
      return { ...res, body: mapBlocks(res.body, "DBInstance", (b) => overlayDbInstance(env.world, b, call.now)) };
    },
  },
  "rds:DeleteDBInstance": {
    async after(env, call, res) {
      const id = call.req.form?.get("DBInstanceIdentifier");
      if (res.status !== 200 || !id) return res;
      // The data goes with the instance (a final snapshot, if asked for, stays metadata in moto).
      await env.postgres?.dropInstance(id).catch((e: unknown) => env.world.log(`drop ${id} in PostgreSQL failed: ${String(e)}`));
      const block = blocks(res.body, "DBInstance")[0];
      const xml = block ? removeElement(setTagText(block, "DBInstanceStatus", "deleting"), "PendingModifiedValues") : "";
      env.world.rds.set(id, { deleting: { until: call.now + env.world.scaled(AWS_SECONDS.rdsDelete), xml } });
      return { ...res, body: mapBlocks(res.body, "DBInstance", (b) => setTagText(b, "DBInstanceStatus", "deleting")) };
    },
  },
};

/**
 * Make the sandbox PostgreSQL's login for DB instance `id` match what RDS was told: the master user with the given
 * password, or the one in the RDS-managed secret (ManageMasterUserPassword), and the initial database (DBName).
 */
async function syncLogin(env: ProxyEnv, id: string, xml: string, password: string | undefined): Promise<void> {
  const pg = env.postgres;
  const block = blocks(xml, "DBInstance")[0] ?? "";
  if (!pg || !(tagText(block, "Engine") ?? "postgres").startsWith("postgres")) return;
  const user = tagText(block, "MasterUsername") ?? "postgres";
  let pw = password;
  const secretArn = tagText(blocks(block, "MasterUserSecret")[0] ?? "", "SecretArn");
  if (pw === undefined && secretArn) {
    const r = await env.moto.sm.send(new GetSecretValueCommand({ SecretId: secretArn })).catch(() => undefined);
    try {
      pw = (JSON.parse(r?.SecretString ?? "{}") as { password?: string }).password;
    } catch {
      pw = undefined;
    }
  }
  if (pw === undefined) return;
  await pg
    .createInstance(id, user, pw, tagText(block, "DBName") ?? undefined)
    .catch((e: unknown) => env.world.log(`PostgreSQL login for ${id} failed: ${String(e)}`));
}

/** The maintenance window arrives: pending (ApplyImmediately=false) modifications start applying now. */
export function applyMaintenance(world: World, id: string | undefined, now: number): string[] {
  const applied: string[] = [];
  for (const [dbId, life] of world.rds) {
    if (id && dbId !== id) continue;
    if (life.modification && life.modification.applyAt === null) {
      life.modification.applyAt = now + world.scaled(AWS_SECONDS.rdsModify);
      applied.push(dbId);
    }
  }
  return applied;
}
