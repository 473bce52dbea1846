import "server-only";
import { processSingleton } from "@/server/process-singleton";
import { db } from "@/server/db";
import { onShutdown } from "@/server/lifecycle/shutdown";
import { log } from "@/server/log";
import { resumeRuns } from "./runs";

const sweeper = processSingleton("run-sweeper", () => ({ timer: undefined as NodeJS.Timeout | undefined }));

/** Resume orphaned runs now and every 15 s (a lease lasts 30 s, so a dead owner's run is picked up within ~45 s). */
export function startRunSweeper(everyMs = 15_000): void {
  if (sweeper.timer) return;
  const sweep = async () => {
    try {
      const resumed = await resumeRuns(await db());
      if (resumed.length) log.info("resumed provisioning runs", { runs: resumed });
    } catch (err) {
      log.warn("run sweep failed", { error: err instanceof Error ? err.message : String(err) });
    }
  };
  void sweep();
  sweeper.timer = setInterval(() => void sweep(), everyMs);
  sweeper.timer.unref();
  onShutdown("run sweeper", () => {
    clearInterval(sweeper.timer);
    sweeper.timer = undefined;
  });
}
