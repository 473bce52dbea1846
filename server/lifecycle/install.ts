import "server-only";
import { config } from "@/server/config";
import { handBackRuns } from "@/server/stack/runs";
import { handleTerminationSignals, onShutdown } from "./shutdown";

/** Called once per console process (instrumentation.ts): graceful SIGTERM/SIGINT with the run hand-back. */
export function installShutdown(graceMs = config().CONSOLE_SHUTDOWN_GRACE_MS): void {
  const g = globalThis as typeof globalThis & { __pecShutdownInstalled?: boolean };
  if (g.__pecShutdownInstalled) return;
  g.__pecShutdownInstalled = true;
  onShutdown("provisioning runs", async () => void (await handBackRuns()));
  handleTerminationSignals(graceMs);
}
