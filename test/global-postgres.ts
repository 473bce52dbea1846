// Starts a throwaway PostgreSQL cluster for the store tests unless TEST_DATABASE_URL is already set
// (scripts/test.sh starts one for the whole run). initdb refuses root, so the cluster runs as `postgres`.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import net from "node:net";

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

export default async function setup(): Promise<(() => void) | undefined> {
  if (process.env.TEST_DATABASE_URL) return undefined;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pec-pg-"));
  const asPostgres = os.userInfo().uid === 0 ? ["runuser", "-u", "postgres", "--"] : [];
  if (asPostgres.length) execFileSync("chown", ["postgres:postgres", dir]);
  const run = (bin: string, args: string[]) => {
    const [cmd, ...rest] = [...asPostgres, path.join(PG_BIN, bin), ...args];
    execFileSync(cmd!, rest, { stdio: "ignore" });
  };
  const port = await freePort();
  run("initdb", ["-D", path.join(dir, "data"), "-A", "trust", "-U", "postgres"]);
  run("pg_ctl", ["-D", path.join(dir, "data"), "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1`, "-w", "start"]);
  process.env.TEST_DATABASE_URL = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return () => {
    try {
      run("pg_ctl", ["-D", path.join(dir, "data"), "-m", "immediate", "-w", "stop"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
}
