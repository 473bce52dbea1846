// Starts moto server as a child process in its own process group, so stop() can kill moto and anything it
// spawned with one signal (no orphans when the sandbox exits).
import { spawn, type ChildProcess } from "node:child_process";
import { freePort, sleep } from "./util/net";

export interface MotoProcess {
  endpoint: string;
  port: number;
  stop(): Promise<void>;
}

const PYTHON = process.env.SANDBOX_PYTHON ?? "python3";

// moto runs in its own process group (so stop() can signal the whole group), which also means nothing kills it if
// this Node process dies abruptly (SIGKILL, crash). A watchdog thread exits moto when its parent goes away.
const LAUNCHER = [
  "import os, sys, threading, time",
  "parent = os.getppid()",
  "def watch():",
  "    while True:",
  "        time.sleep(1)",
  "        if os.getppid() != parent:",
  "            os._exit(0)",
  "threading.Thread(target=watch, daemon=True).start()",
  // moto refuses a second private DNS namespace in a VPC whatever its name; AWS refuses only a conflicting domain
  // (the same name, or one inside the other): prefect-a.local and prefect-b.local live side by side in one VPC.
  "import moto.servicediscovery.models as _sd",
  "from moto.servicediscovery.exceptions import ConflictingDomainExists",
  "_create_ns = _sd.ServiceDiscoveryBackend.create_private_dns_namespace",
  "def _clash(a, b): return a == b or a.endswith('.' + b) or b.endswith('.' + a)",
  "def _create_private_dns_namespace(self, **kw):",
  "    same_vpc = [n for n in self.namespaces.values() if n.vpc == kw.get('vpc')]",
  "    if any(_clash(n.name, kw.get('name') or '') for n in same_vpc): raise ConflictingDomainExists(kw.get('vpc'))",
  "    for n in same_vpc: n.vpc = None",
  "    try: return _create_ns(self, **kw)",
  "    finally:",
  "        for n in same_vpc: n.vpc = kw.get('vpc')",
  "_sd.ServiceDiscoveryBackend.create_private_dns_namespace = _create_private_dns_namespace",
  // AWS's ListServices honours the NAMESPACE_ID filter; moto ignores every filter and lists the account's services,
  // so one stack's `prefect-server` would answer for another's.
  "import json as _json, moto.servicediscovery.responses as _sdr",
  "def _list_services(self):",
  "    filters = (_json.loads(self.body or '{}').get('Filters') or [])",
  "    wanted = next((set(f.get('Values') or []) for f in filters if f.get('Name') == 'NAMESPACE_ID'), None)",
  "    found = [s for s in self.servicediscovery_backend.list_services() if wanted is None or s.namespace_id in wanted]",
  "    return _json.dumps({'Services': [s.to_json() for s in found]})",
  "_sdr.ServiceDiscoveryResponse.list_services = _list_services",
  // Every request looks its service up by host: moto lists its own package directory (~200 stat calls) and tries
  // each URL pattern, under one lock that serialises all requests. The answer for a host never changes: cache it.
  "import moto.backends as _backends",
  "_modules = tuple(_backends.list_of_moto_modules())",
  "_backends.list_of_moto_modules = lambda: _modules",
  "import moto.moto_server.werkzeug_app as _app",
  "_backend_for = _app.DomainDispatcherApplication.get_backend_for_host",
  "_hosts = {}",
  "def _get_backend_for_host(self, host):",
  "    if host not in _hosts: _hosts[host] = _backend_for(self, host)",
  "    return _hosts[host]",
  "_app.DomainDispatcherApplication.get_backend_for_host = _get_backend_for_host",
  // One log line per request costs moto time even when stderr is discarded; errors still print.
  "import logging",
  "logging.getLogger('werkzeug').setLevel(logging.WARNING)",
  "from moto.server import main",
  "main(sys.argv[1:])",
].join("\n");

export async function startMoto(opts: { quiet?: boolean } = {}): Promise<MotoProcess> {
  // Retry on the (rare) race where another process grabs the port between freePort() and moto's bind.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const child = spawn(PYTHON, ["-c", LAUNCHER, "-H", "127.0.0.1", "-p", String(port)], {
      detached: true, // own process group: kill(-pid) reaches moto's children too
      stdio: ["ignore", "ignore", opts.quiet ? "ignore" : "pipe"],
      // ACM: a DNS-validated certificate is ISSUED on its first describe (the sandbox plays the validation record as
      // already in place; AWS takes minutes).
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true", MOTO_ACM_VALIDATION_WAIT: "0" },
    });
    let stderrTail = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-4000);
    });
    const endpoint = `http://127.0.0.1:${port}`;
    const ok = await waitUntilAnswers(endpoint, child, 30_000);
    if (!ok) {
      await killGroup(child);
      if (attempt === 2) throw new Error(`moto did not start on ${endpoint}: ${stderrTail}`);
      continue;
    }
    child.stderr?.removeAllListeners("data");
    child.stderr?.resume(); // keep draining so moto never blocks on a full pipe
    const exitHandler = () => {
      try {
        if (child.pid) process.kill(-child.pid, "SIGKILL");
      } catch {
        /* already gone */
      }
    };
    process.once("exit", exitHandler);
    return {
      endpoint,
      port,
      async stop() {
        process.removeListener("exit", exitHandler);
        await killGroup(child);
      },
    };
  }
  throw new Error("unreachable");
}

async function waitUntilAnswers(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) return false;
    try {
      // The state-manager call is idempotent and proves the HTTP app is serving.
      await configure(endpoint);
      return true;
    } catch {
      /* not up yet */
    }
    await sleep(100);
  }
  return false;
}

/** SANDBOX.md: by default moto walks a task to STOPPED after a few DescribeTasks; the simulator decides instead. */
async function configure(endpoint: string): Promise<void> {
  const r = await fetch(`${endpoint}/moto-api/state-manager/set-transition`, {
    method: "POST",
    signal: AbortSignal.timeout(2000),
    body: JSON.stringify({ model_name: "ecs::task", transition: { progression: "manual", times: 1_000_000_000 } }),
  });
  if (!r.ok) throw new Error(`moto set-transition failed: ${r.status}`);
}

async function killGroup(child: ChildProcess): Promise<void> {
  if (!child.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    process.kill(-child.pid, "SIGTERM");
  } catch {
    return;
  }
  const timedOut = await Promise.race([exited.then(() => false), sleep(3000).then(() => true)]);
  if (timedOut) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* gone */
    }
    await exited;
  }
}
