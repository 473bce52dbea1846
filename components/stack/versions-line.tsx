import { StatusBadge } from "@/components/ui/status-badge";
import type { StackSnapshot } from "@/lib/ops/types";
import { compareVersions } from "@/lib/versions";

/** Server and worker Prefect versions side by side; amber when they differ (lib/versions.ts compareVersions). */
export function VersionsLine({ services: panel, prefect }: { services: StackSnapshot["services"]; prefect: StackSnapshot["prefect"] }) {
  const services = panel.ok ? panel.data : [];
  const server = services.find((x) => x.role === "server");
  const worker = services.find((x) => x.role === "worker");
  // The API's own answer first (what really runs), else the server image's tag.
  const serverVersion = (prefect.version.ok ? prefect.version.data : null) ?? server?.prefectVersion ?? null;
  const workerVersion = worker?.prefectVersion ?? null;
  const check = compareVersions(serverVersion, workerVersion);
  const tone = check.state === "match" ? "ok" : check.state === "mismatch" ? "pending" : "neutral";
  return (
    <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm" aria-label="Prefect versions">
      <span>
        <span className="text-muted-foreground">Server</span> <span className="font-mono">{serverVersion ?? "unknown"}</span>
      </span>
      <span>
        <span className="text-muted-foreground">Worker</span> <span className="font-mono">{workerVersion ?? "unknown"}</span>
        {worker?.prefectAwsVersion ? (
          <span className="font-mono text-muted-foreground"> · prefect-aws {worker.prefectAwsVersion}</span>
        ) : null}
      </span>
      <StatusBadge
        tone={tone}
        label={check.state === "match" ? "versions match" : check.state === "mismatch" ? "version mismatch" : "not compared"}
      />
      {check.state !== "match" ? <span className="text-muted-foreground">{check.message}</span> : null}
    </div>
  );
}
