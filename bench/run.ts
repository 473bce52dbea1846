// `npm run bench`: builds the console once, then runs every benchmark in turn. Each prints its figures and writes
// bench/results/<name>.json; docs/performance.md summarises them. Not tests: nothing here passes or fails on time.
// Run one: `npm run bench -- logs-tail` (names: provisioning, ops-snapshot, logs-tail, first-load-js, pages).
import { spawnSync } from "node:child_process";

const all = ["provisioning", "ops-snapshot", "first-load-js", "logs-tail", "pages"];
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const names = wanted.length ? wanted : all;
const unknown = names.filter((n) => !all.includes(n));
if (unknown.length) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Choose from: ${all.join(", ")}`);
  process.exit(2);
}

const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
const run = (cmd: string, args: string[]) => {
  console.log(`\n› ${cmd} ${args.join(" ")}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env });
  return r.status ?? 1;
};

// The browser benchmarks serve the production build (the standalone server, as the container image runs it).
if (names.some((n) => n === "logs-tail" || n === "first-load-js" || n === "pages") && run("bash", ["scripts/build.sh"]) !== 0)
  process.exit(1);

let failed = 0;
for (const name of names) {
  // --conditions react-server lets the server modules (import "server-only") load outside Next.
  if (run("npx", ["tsx", "--conditions", "react-server", `bench/${name}.ts`]) !== 0) failed++;
}
process.exit(failed ? 1 : 0);
