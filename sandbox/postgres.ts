// The real PostgreSQL behind the sandbox's RDS: one throwaway PostgreSQL 15 cluster per sandbox (initdb + pg_ctl on
// a temp dir, as the store tests do), on a free 127.0.0.1 port. Every DB instance maps onto it: its master user is a
// login role and its databases are real databases, namespaced by instance so two instances may share a master user
// name with different passwords. TCP logins need the password (scram-sha-256, as RDS); the sandbox's own admin
// connection uses the Unix socket (trust).
import { execFile, execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { freePort } from "./util/net";

const run = promisify(execFile);
const PG_BIN = process.env.SANDBOX_PG_BIN ?? "/usr/lib/postgresql/15/bin";

/** The database RDS for PostgreSQL always has (the DBName parameter adds another). */
export const RDS_DEFAULT_DB = "postgres";

export interface LocalPostgres {
  host: string;
  port: number;
  /** The role that `user` of DB instance `instanceId` logs in as. */
  roleOf(instanceId: string, user: string): string;
  /** The database that `db` of DB instance `instanceId` is. */
  databaseOf(instanceId: string, db: string): string;
  /** CreateDBInstance: the master login role, the default database and the initial one. */
  createInstance(instanceId: string, user: string, password: string, dbName: string | undefined): Promise<void>;
  /** ModifyDBInstance MasterUserPassword. */
  setPassword(instanceId: string, user: string, password: string): Promise<void>;
  /** DeleteDBInstance: its databases and roles are gone (open connections are ended). */
  dropInstance(instanceId: string): Promise<void>;
  /** Run SQL as the cluster's superuser (tests, the sandbox itself). */
  admin<T extends pg.QueryResultRow = pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<pg.QueryResult<T>>;
  stop(): Promise<void>;
}

/** PostgreSQL identifiers are at most 63 bytes; the instance prefix keeps instances apart. */
const prefixOf = (instanceId: string) => `i${createHash("sha1").update(instanceId).digest("hex").slice(0, 8)}_`;
const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export async function startLocalPostgres(): Promise<LocalPostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "sandbox-pg-"));
  const data = path.join(dir, "data");
  // initdb refuses root: run the cluster as the postgres user, on a directory it owns.
  const asPostgres = os.userInfo().uid === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asPostgres.length) fs.chownSync(dir, ...ownerOf("postgres"));
  const pgCmd = async (bin: string, args: string[]) => {
    const [cmd, ...rest] = [...asPostgres, path.join(PG_BIN, bin), ...args];
    await run(cmd ?? bin, rest, { timeout: 60_000 });
  };
  const pgCmdSync = (bin: string, args: string[]) => {
    const [cmd, ...rest] = [...asPostgres, path.join(PG_BIN, bin), ...args];
    execFileSync(cmd ?? bin, rest, { stdio: "ignore", timeout: 10_000 });
  };

  await pgCmd("initdb", ["-D", data, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync", "-E", "UTF8"]);
  let port = 0;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100 -c shared_buffers=16MB`;
    try {
      await pgCmd("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "log"), "-w", "-t", "30", "start"]);
      break;
    } catch (e) {
      if (attempt >= 2) {
        fs.rmSync(dir, { recursive: true, force: true });
        throw new Error(`PostgreSQL did not start: ${String(e)}`);
      }
    }
  }
  const stopSync = () => {
    try {
      pgCmdSync("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      /* already stopped */
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopSync);

  const pool = new pg.Pool({ host: dir, port, user: "postgres", database: "postgres", max: 4 });
  pool.on("error", () => undefined); // a connection ended by stop(): nothing to do
  const admin = <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) => pool.query<T>(sql, params);

  const roleOf = (instanceId: string, user: string) => `${prefixOf(instanceId)}${user}`.slice(0, 63);
  const databaseOf = (instanceId: string, db: string) => `${prefixOf(instanceId)}${db}`.slice(0, 63);
  const databasesOf = async (instanceId: string) =>
    (await admin<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [prefixOf(instanceId)])).rows;

  return {
    host: "127.0.0.1",
    port,
    roleOf,
    databaseOf,
    admin,
    async createInstance(instanceId, user, password, dbName) {
      const role = roleOf(instanceId, user);
      const exists = await admin("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]);
      await admin(`${exists.rowCount ? "ALTER" : "CREATE"} ROLE ${ident(role)} LOGIN PASSWORD ${literal(password)}`);
      for (const db of new Set([RDS_DEFAULT_DB, ...(dbName ? [dbName] : [])])) {
        const name = databaseOf(instanceId, db);
        const has = await admin("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
        if (!has.rowCount) await admin(`CREATE DATABASE ${ident(name)} OWNER ${ident(role)}`);
      }
    },
    async setPassword(instanceId, user, password) {
      await admin(`ALTER ROLE ${ident(roleOf(instanceId, user))} PASSWORD ${literal(password)}`);
    },
    async dropInstance(instanceId) {
      for (const { datname } of await databasesOf(instanceId)) await admin(`DROP DATABASE IF EXISTS ${ident(datname)} WITH (FORCE)`);
      const roles = await admin<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", [prefixOf(instanceId)]);
      for (const { rolname } of roles.rows) await admin(`DROP ROLE IF EXISTS ${ident(rolname)}`);
    },
    async stop() {
      process.removeListener("exit", stopSync);
      await pool.end().catch(() => undefined);
      await pgCmd("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function ownerOf(user: string): [number, number] {
  const line = fs
    .readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) throw new Error(`no ${user} user on this machine (PostgreSQL runs as ${user})`);
  return [Number(uid), Number(gid)];
}
