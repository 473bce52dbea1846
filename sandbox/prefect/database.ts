// The Prefect server stand-in's database, for real: when a `prefect server start` task starts, it reads the
// database settings ECS injected (plain environment + resolved secrets), finds the RDS instance behind the host name
// and logs in to the sandbox's PostgreSQL with the `pg` driver. A wrong password, host or database makes the
// container exit with what Prefect (asyncpg under SQLAlchemy) logs; a good one creates the stand-in's own table, so
// the stack's work pools live in that database and survive a server task replacement, as on AWS.
import { DescribeDBInstancesCommand, type DBInstance } from "@aws-sdk/client-rds";
import pg from "pg";
import type { MotoClients } from "../clients";
import { rdsView } from "../aws-proxy/rds";
import type { LocalPostgres } from "../postgres";
import { containerEnvironment } from "../secrets";
import type { DatabaseTarget, SimTask, WorkPoolRecord, World } from "../world";

/** Where the server's database settings point, after Prefect's own parsing. */
export interface DatabaseSettings {
  driver: string;
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

// Prefect 3 reads PREFECT_SERVER_DATABASE_* and, as aliases, PREFECT_API_DATABASE_* (prefect.settings.models.server.database).
const PREFIXES = ["PREFECT_SERVER_DATABASE_", "PREFECT_API_DATABASE_"];
const setting = (env: Record<string, string>, name: string): string | undefined =>
  PREFIXES.map((p) => env[`${p}${name}`]).find((v) => v !== undefined && v !== "");

/**
 * The server's PostgreSQL settings, or undefined when it would use its default SQLite file. Prefect takes the
 * connection URL when set (a `${PREFECT_API_DATABASE_PASSWORD}` placeholder in it is replaced by the password
 * setting), else it builds one from DRIVER/HOST/PORT/USER/NAME/PASSWORD. Pure.
 */
export function databaseSettings(env: Record<string, string>): DatabaseSettings | undefined {
  const password = setting(env, "PASSWORD");
  let url = setting(env, "CONNECTION_URL");
  if (url && password !== undefined) {
    url = url.replace(/\$\{PREFECT_(?:API|SERVER)_DATABASE_PASSWORD\}/g, encodeURIComponent(password));
  }
  if (url) {
    const m = /^([a-z0-9+]+):\/\//i.exec(url);
    const driver = m?.[1] ?? "";
    if (!driver.startsWith("postgresql")) return undefined; // sqlite+aiosqlite:///…: a file in the container
    const u = new URL(url.replace(/^[a-z0-9+]+:\/\//i, "http://"));
    return {
      driver,
      host: decodeURIComponent(u.hostname),
      port: Number(u.port || 5432),
      user: decodeURIComponent(u.username),
      password: decodeURIComponent(u.password),
      database: decodeURIComponent(u.pathname.replace(/^\//, "")) || "prefect",
    };
  }
  const host = setting(env, "HOST");
  const driver = setting(env, "DRIVER") ?? "postgresql+asyncpg";
  if (!host || !driver.startsWith("postgresql")) return undefined;
  return {
    driver,
    host,
    port: Number(setting(env, "PORT") ?? 5432),
    user: setting(env, "USER") ?? "postgres",
    password: password ?? "",
    database: setting(env, "NAME") ?? "prefect",
  };
}

/** The last lines Prefect's server logs before exiting when its database cannot be reached (uvicorn lifespan). */
export function startupFailureLines(error: string): string[] {
  return [
    "ERROR:    Traceback (most recent call last):",
    '  File "/usr/local/lib/python3.12/site-packages/starlette/routing.py", line 694, in lifespan',
    "    async with self.lifespan_context(app) as maybe_state:",
    '  File "/usr/local/lib/python3.12/site-packages/prefect/server/api/server.py", line 681, in lifespan',
    "    await run_migrations()",
    '  File "/usr/local/lib/python3.12/site-packages/asyncpg/connect_utils.py", line 1049, in _connect_addr',
    "    return await __connect_addr(params, True, *args)",
    error,
    "",
    "ERROR:    Application startup failed. Exiting.",
  ];
}

const POOL_TABLE = "sandbox_prefect_work_pool";

export type LoginOutcome = { kind: "sqlite" } | { kind: "ok"; target: DatabaseTarget } | { kind: "failed"; error: string };

export class PrefectDatabases {
  private instances: { at: number; list: DBInstance[] } | undefined;
  private pools = new Map<string, pg.Pool>();
  /** Writes in flight per database, awaited before the next read (a request sees the previous one's change). */
  private writes = new Map<string, Promise<unknown>>();

  constructor(
    private world: World,
    private c: MotoClients,
    private postgres: LocalPostgres | undefined,
  ) {}

  /** Check every newly RUNNING Prefect server task's database login (one simulator tick step). */
  async tick(now: number, isServer: (t: SimTask) => boolean): Promise<void> {
    for (const t of this.world.tasks.values()) {
      if (t.dbChecked || t.phase !== "RUNNING" || t.failing || !isServer(t)) continue;
      let outcome: LoginOutcome;
      try {
        outcome = await this.login(t, now);
      } catch (e) {
        // The sandbox could not read what the container gets (its secrets): check again next tick. Until then the
        // server answers no health check (Prefect migrates its database before it serves).
        this.world.log(`database check of task ${t.id} deferred: ${e instanceof Error ? e.message : String(e)}`);
        continue;
      }
      t.dbChecked = true;
      if (outcome.kind === "failed") {
        t.failing = true;
        t.failAt = now + this.world.scaled(2);
        t.crashLog = startupFailureLines(outcome.error);
      } else if (outcome.kind === "ok") {
        t.db = outcome.target;
      }
    }
  }

  private async login(t: SimTask, now: number): Promise<LoginOutcome> {
    let settings: DatabaseSettings | undefined;
    for (const c of t.td.containers) settings ??= databaseSettings(await containerEnvironment(this.c, c));
    if (!settings) return { kind: "sqlite" };
    return this.tryLogin(settings, now, t.ip, true);
  }

  /**
   * Log in as a client inside the VPC would: the host must be a DB instance's endpoint (resolvable once the
   * instance has one), the port its port, then PostgreSQL checks the user, password and database.
   * `prepare` creates the stand-in's own table (a Prefect server migrating its schema).
   */
  async tryLogin(settings: DatabaseSettings, now: number, fromIp = "10.0.0.1", prepare = false): Promise<LoginOutcome> {
    const host = settings.host.toLowerCase();
    const db = (await this.describeInstances(now)).find((i) => i.Endpoint?.Address?.toLowerCase() === host);
    const id = db?.DBInstanceIdentifier;
    const view = id ? rdsView(this.world.rds.get(id), now, (s) => this.world.scaled(s)) : undefined;
    if (!db || !id || !this.postgres || view?.hideEndpoint)
      return { kind: "failed", error: "socket.gaierror: [Errno -2] Name or service not known" };
    if (settings.port !== (db.Endpoint?.Port ?? 5432) || view?.status === "deleting" || view?.status === "rebooting")
      return { kind: "failed", error: `ConnectionRefusedError: [Errno 111] Connect call failed ('${fromIp}', ${settings.port})` };
    const target: DatabaseTarget = { instanceId: id, user: settings.user, password: settings.password, database: settings.database };
    const client = new pg.Client(this.clientConfig(target));
    try {
      await client.connect();
      if (prepare)
        await client.query(
          `CREATE TABLE IF NOT EXISTS ${POOL_TABLE} (name text PRIMARY KEY, cluster text NOT NULL, record jsonb NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`,
        );
      else await client.query("SELECT 1");
      return { kind: "ok", target };
    } catch (e) {
      return { kind: "failed", error: this.asyncpgError(target, e) };
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** PostgreSQL's message, with the sandbox's per-instance names put back, in asyncpg's exception class. */
  private asyncpgError(target: DatabaseTarget, e: unknown): string {
    const pgErr = e as { code?: string; message?: string };
    const role = this.postgres?.roleOf(target.instanceId, target.user) ?? "";
    const database = this.postgres?.databaseOf(target.instanceId, target.database) ?? "";
    const message = String(pgErr.message ?? e)
      .replaceAll(`"${role}"`, `"${target.user}"`)
      .replaceAll(`"${database}"`, `"${target.database}"`);
    const cls: Record<string, string> = {
      "28P01": "InvalidPasswordError",
      "28000": "InvalidAuthorizationSpecificationError",
      "3D000": "InvalidCatalogNameError",
      "42501": "InsufficientPrivilegeError",
    };
    return `asyncpg.exceptions.${cls[pgErr.code ?? ""] ?? "PostgresError"}: ${message}`;
  }

  private clientConfig(target: DatabaseTarget): pg.ClientConfig {
    if (!this.postgres) throw new Error("no PostgreSQL in this sandbox");
    return {
      host: this.postgres.host,
      port: this.postgres.port,
      user: this.postgres.roleOf(target.instanceId, target.user),
      password: target.password,
      database: this.postgres.databaseOf(target.instanceId, target.database),
      connectionTimeoutMillis: 5000,
    };
  }

  private async describeInstances(now: number): Promise<DBInstance[]> {
    if (this.instances && now - this.instances.at < 500) return this.instances.list;
    const list: DBInstance[] = [];
    let marker: string | undefined;
    for (let i = 0; i < 20; i++) {
      const r = await this.c.rds.send(new DescribeDBInstancesCommand({ Marker: marker }));
      list.push(...(r.DBInstances ?? []));
      marker = r.Marker;
      if (!marker) break;
    }
    this.instances = { at: now, list };
    return list;
  }

  // ---- the stand-in's work pools, stored in the server's database ----

  private keyOf(t: DatabaseTarget): string {
    return `${t.instanceId}|${t.database}`;
  }

  private pool(t: DatabaseTarget): pg.Pool {
    const key = `${this.keyOf(t)}|${t.user}|${t.password}`;
    let p = this.pools.get(key);
    if (!p) {
      p = new pg.Pool({ ...this.clientConfig(t), max: 2, idleTimeoutMillis: 5000 });
      p.on("error", () => undefined);
      this.pools.set(key, p);
    }
    return p;
  }

  /** The work pools stored in this database; the Map writes through to it. */
  async workPools(t: DatabaseTarget, cluster: string): Promise<Map<string, WorkPoolRecord>> {
    const key = this.keyOf(t);
    await this.writes.get(key);
    const r = await this.pool(t).query<{ record: WorkPoolRecord }>(`SELECT record FROM ${POOL_TABLE} ORDER BY name`);
    const write = (sql: string, params: unknown[]) => {
      const next = (this.writes.get(key) ?? Promise.resolve())
        .then(() => this.pool(t).query(sql, params))
        .catch((e: unknown) => this.world.log(`work pool write failed: ${String(e)}`));
      this.writes.set(key, next);
    };
    return new WriteThroughMap(
      r.rows.map((row) => [row.record.name, row.record]),
      (name, rec) =>
        write(
          `INSERT INTO ${POOL_TABLE} (name, cluster, record) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET record = EXCLUDED.record, updated_at = now()`,
          [name, cluster, JSON.stringify(rec)],
        ),
      (name) => write(`DELETE FROM ${POOL_TABLE} WHERE name = $1`, [name]),
      // A worker creates its pool only when there is none: it never overwrites one made meanwhile (409 in Prefect).
      (name, rec) =>
        write(`INSERT INTO ${POOL_TABLE} (name, cluster, record) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING`, [
          name,
          cluster,
          JSON.stringify(rec),
        ]),
    );
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.writes.values()]);
    await Promise.allSettled([...this.pools.values()].map((p) => p.end()));
    this.pools.clear();
  }
}

/** A Map whose set/delete also go to a store (the Prefect API handlers only see a Map). */
class WriteThroughMap<V> extends Map<string, V> {
  private ready = false;
  constructor(
    entries: [string, V][],
    private onSet: (k: string, v: V) => void,
    private onDelete: (k: string) => void,
    private onCreate: (k: string, v: V) => void,
  ) {
    super(entries);
    this.ready = true;
  }
  /** Adds `k` unless this snapshot has it; the store keeps a record written meanwhile by another request. */
  createIfAbsent(k: string, v: V): void {
    if (super.has(k)) return;
    super.set(k, v);
    this.onCreate(k, v);
  }
  override set(k: string, v: V): this {
    super.set(k, v);
    if (this.ready) this.onSet(k, v);
    return this;
  }
  override delete(k: string): boolean {
    const had = super.delete(k);
    if (had) this.onDelete(k);
    return had;
  }
}

/** Add a pool unless it exists; in a database, a record written meanwhile by another request wins. */
export function createPoolIfAbsent<V>(pools: Map<string, V>, name: string, record: V): void {
  if (pools instanceof WriteThroughMap) pools.createIfAbsent(name, record);
  else if (!pools.has(name)) pools.set(name, record);
}
