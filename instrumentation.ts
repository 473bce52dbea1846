// Next.js start-up hook: resume provisioning runs that a previous console process left behind (crashed, killed,
// redeployed). A run is resumed only once its lease has expired, so a run still executing in another replica is
// left alone; a periodic sweep picks up runs whose lease expires later.
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startRunSweeper } = await import("./server/stack/sweeper");
  startRunSweeper();
}
