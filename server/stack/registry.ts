import "server-only";
import { stackSpecSchema, type StackSpec } from "@/lib/stack-spec";
import type { Db } from "@/server/db";
import { log } from "@/server/log";

// The console's record of a stack (environment). The spec is the StackSpec JSON (lib/stack-spec.ts);
// AWS itself stays the source of truth for what exists — resources are found by name and tag.
// The spec is parsed here, where it is read, so no caller has to trust the stored JSON.
export type StackStatus = "draft" | "provisioning" | "ready" | "degraded" | "failed" | "destroying" | "destroyed";

export interface StackRecord {
  env: string;
  region: string;
  /** The stored spec, or null when it no longer validates against today's schema (adopt the stack again to rebuild it). */
  spec: StackSpec | null;
  status: StackStatus;
  adopted: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  env: string;
  region: string;
  spec: string;
  status: StackStatus;
  adopted: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

function parseSpec(env: string, json: string): StackSpec | null {
  const parsed = stackSpecSchema.safeParse(JSON.parse(json));
  if (parsed.success) return parsed.data;
  log.warn("stored stack spec does not validate", { env, issues: parsed.error.issues.slice(0, 3).map((i) => i.path.join(".")) });
  return null;
}

const toRecord = (r: Row): StackRecord => ({
  env: r.env,
  region: r.region,
  spec: parseSpec(r.env, r.spec),
  status: r.status,
  adopted: Number(r.adopted) === 1,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

export async function listStacks(db: Db): Promise<StackRecord[]> {
  return (await db.all<Row>("SELECT * FROM stacks WHERE status <> 'destroyed' ORDER BY env")).map(toRecord);
}

export async function getStack(db: Db, env: string): Promise<StackRecord | undefined> {
  const r = await db.get<Row>("SELECT * FROM stacks WHERE env = ?", [env]);
  return r ? toRecord(r) : undefined;
}

export async function upsertStack(
  db: Db,
  s: { env: string; region: string; spec: StackSpec; status: StackStatus; adopted?: boolean; createdBy: string },
): Promise<void> {
  const now = Date.now();
  await db.run(
    `INSERT INTO stacks (env, region, spec, status, adopted, created_by, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (env) DO UPDATE SET region = excluded.region, spec = excluded.spec, status = excluded.status, adopted = excluded.adopted, updated_at = excluded.updated_at`,
    [s.env, s.region, JSON.stringify(s.spec), s.status, s.adopted ? 1 : 0, s.createdBy, now, now],
  );
}

export async function setStackStatus(db: Db, env: string, status: StackStatus): Promise<void> {
  await db.run("UPDATE stacks SET status = ?, updated_at = ? WHERE env = ?", [status, Date.now(), env]);
}
