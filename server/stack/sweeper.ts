import "server-only";
import { db } from "@/server/db";
import { onShutdown } from "@/server/lifecycle/shutdown";
import { log } from "@/server/log";
import { resumeRuns } from "./runs";

const g = globalThis as typeof globalThis & { __pecSweeper?: NodeJS.Timeout };

/** Resume orphaned runs now and every 15 s (a lease lasts 30 s, so a dead owner's run is picked up within ~45 s). */
export function startRunSweeper(everyMs = 15_000): void {
  if (g.__pecSweeper) return;
  const sweep = async () => {
    try {
      const resumed = await resumeRuns(await db());
      if (resumed.length) log.info("resumed provisioning runs", { runs: resumed });
    } catch (err) {
      log.warn("run sweep failed", { error: err instanceof Error ? err.message : String(err) });
    }
  };
  void sweep();
  g.__pecSweeper = setInterval(() => void sweep(), everyMs);
  g.__pecSweeper.unref();
  onShutdown("run sweeper", () => {
    clearInterval(g.__pecSweeper);
    g.__pecSweeper = undefined;
  });
}
