// Next.js start-up hook (Node runtime only, once per server process):
// - graceful shutdown (server/lifecycle): on SIGTERM readiness fails, runs hand their lease back at a safe point,
//   live log streams end with a reconnect hint, then the server closes — within CONSOLE_SHUTDOWN_GRACE_MS;
// - stamp every incoming request with its TCP peer address (server/http/peer-address.ts), the only client address
//   the console trusts besides CONSOLE_TRUSTED_PROXY_HOPS proxies;
// - create the admin from CONSOLE_ADMIN_EMAIL / CONSOLE_ADMIN_PASSWORD when the console has no user yet;
// - resume provisioning runs that a previous console process left behind (crashed, killed, redeployed). A run is
//   resumed once its lease was handed back or has expired, so a run still executing in another replica is left alone; a periodic
//   sweep picks up runs whose lease expires later.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installShutdown } = await import("./server/lifecycle/install");
  const { installPeerAddressHeader } = await import("./server/http/peer-address");
  installPeerAddressHeader();
  const { ensureEnvAdmin } = await import("./server/auth/bootstrap");
  const { log } = await import("./server/log");
  await ensureEnvAdmin().catch((err: unknown) =>
    log.error("could not create the admin from CONSOLE_ADMIN_EMAIL", { error: err instanceof Error ? err.message : String(err) }),
  );
  const { startRunSweeper } = await import("./server/stack/sweeper");
  installShutdown();
  startRunSweeper();
}
