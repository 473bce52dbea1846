// Next.js start-up hook (once per server process):
// - graceful shutdown (server/lifecycle): on SIGTERM readiness fails, runs hand their lease back at a safe point,
//   live log streams end with a reconnect hint, then the server closes — within CONSOLE_SHUTDOWN_GRACE_MS;
// - resume provisioning runs that a previous console process left behind (crashed, killed, redeployed). A run is
//   resumed once its lease was handed back or has expired, so a run still executing in another replica is left alone;
//   a periodic sweep picks up runs whose lease expires later.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { installShutdown } = await import("./server/lifecycle/install");
  const { startRunSweeper } = await import("./server/stack/sweeper");
  installShutdown();
  startRunSweeper();
}
