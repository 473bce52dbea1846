import { describe, expect, it } from "vitest";
import { isFailingCommand, parsePoolScript } from "./physics/commands";

// The one-off CLI task's script, as the console writes it (server/stack/resources/pool-task.ts), read back as pool steps.

describe("one-off Prefect CLI task scripts", () => {
  const script = [
    "/bin/sh",
    "-c",
    'printf %s "$PREFECT_POOL_TEMPLATE" > /tmp/pool-template.json && (prefect work-pool inspect default >/dev/null 2>&1 || prefect work-pool create default --type process) && prefect work-pool create production --type ecs --base-job-template /tmp/pool-template.json --overwrite',
  ];
  it("reads each pool step, its template variable and whether it may overwrite", () => {
    expect(parsePoolScript(script)).toEqual([
      { name: "default", type: "process", overwrite: false, onlyIfMissing: true },
      { name: "production", type: "ecs", templateVar: "PREFECT_POOL_TEMPLATE", overwrite: true, onlyIfMissing: false },
    ]);
    expect(isFailingCommand(script)).toBe(false);
  });
  it("anything else in the script is not a pool script (and a shell that runs no prefect command fails as before)", () => {
    const other = ["/bin/sh", "-c", "curl http://example && prefect work-pool create x --type ecs"];
    expect(parsePoolScript(other)).toBeUndefined();
    expect(isFailingCommand(other)).toBe(true);
    expect(parsePoolScript(["prefect", "server", "start"])).toBeUndefined();
  });
});
