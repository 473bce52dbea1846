// A throwaway PostgreSQL 15 cluster on a free port in a temp directory (initdb refuses root, so it runs as
// `postgres`). Used for the whole test run (global-postgres.ts) and by tests that stop the store on purpose.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";

const PG_BIN = "/usr/lib/postgresql/15/bin";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (addr && typeof addr === "object" ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export interface PostgresCluster {
  url: string;
  /** Stops the server (the data stays): clients see connection refused. */
  stop(): void;
  /** Starts it again on the same port. */
  start(): void;
  /** Stops it and removes its directory. */
  remove(): void;
}

export async function startPostgresCluster(): Promise<PostgresCluster> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pec-pg-"));
  const asPostgres = os.userInfo().uid === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asPostgres.length) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (bin: string, args: string[]) => {
    const [cmd, ...rest] = [...asPostgres, path.join(PG_BIN, bin), ...args];
    execFileSync(cmd!, rest, { stdio: "ignore" });
  };
  const port = await freePort();
  const data = path.join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres"]);
  const start = () => run("pg_ctl", ["-D", data, "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-w", "start"]);
  const stop = () => run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
  start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop,
    start,
    remove: () => {
      try {
        stop();
      } catch {
        // already stopped
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
