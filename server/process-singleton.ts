import "server-only";

// What must exist once per console process (AWS clients and their sockets, the snapshot cache, the log reader
// registry, the run executor's state, the database pool) lives here, not in module-level variables.
//
// Why: `next build` bundles a server module once per entry — the pages and server actions, each route handler,
// instrumentation — so a module-level `new Map()` exists several times in one process. The page render and the
// refresh route (GET /api/stacks/<env>/snapshot) would then keep two snapshot caches and two sets of AWS clients.
// globalThis is shared by every bundle of one process; the key is a registered symbol, so every copy of this file
// finds the same store.
//
// The one key: Symbol.for("prefect-ecs-console.singletons") → Map<name, value>. Names are listed in
// docs/dashboard.md ("Process-wide state").
const KEY = Symbol.for("prefect-ecs-console.singletons");

type Store = Map<string, unknown>;

function store(): Store {
  const g = globalThis as typeof globalThis & { [KEY]?: Store };
  return (g[KEY] ??= new Map());
}

/** The process's one value named `name`, created by `create` the first time any bundle asks for it. */
export function processSingleton<T>(name: string, create: () => T): T {
  const s = store();
  if (!s.has(name)) s.set(name, create());
  return s.get(name) as T;
}

/** Names of the singletons this process holds (tests and diagnostics). */
export function processSingletonNames(): string[] {
  return [...store().keys()];
}
