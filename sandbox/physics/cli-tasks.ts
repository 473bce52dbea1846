// One-off Prefect CLI tasks (physics/commands.ts, parsePoolScript): a task the console starts with RunTask to create
// work pools from inside the VPC. Once it runs, the CLI calls PREFECT_API_URL from the task's network — reachable
// or not under the same rules as a worker (physics/reachability.ts) — applies its pool steps to the stack's Prefect
// stand-in (the pools of the cluster's running server, in its database when it has one) and the container exits:
// 0 when every step worked, 1 otherwise, with Prefect's CLI message in the task's stopped reason.
import type { WorkPoolRecord } from "../world";
import { newPool } from "../prefect/api";
import type { SimTask, World } from "../world";
import { isServerCommand, parsePoolScript, type PoolCreate } from "./commands";
import { requestStop } from "./lifecycle";
import type { Reach } from "./reachability";

export class CliTaskPhysics {
  private done = new Set<string>();

  constructor(
    private world: World,
    private reach: (t: SimTask) => Promise<Reach>,
    private poolsOf: (server: SimTask) => Promise<Map<string, WorkPoolRecord>>,
    /** Tell moto too, so ListTasks --desired-status STOPPED lists the task as on ECS. */
    private stopInMoto: (t: SimTask) => Promise<unknown>,
  ) {}

  async tick(now: number): Promise<void> {
    for (const t of this.world.tasks.values()) {
      if (t.phase !== "RUNNING" || t.desiredStatus !== "RUNNING" || this.done.has(t.arn)) continue;
      const c = t.td.containers.find((x) => x.essential && parsePoolScript(x.command));
      const steps = c && parsePoolScript(c.command);
      if (!c || !steps) continue;
      this.done.add(t.arn);
      const env = new Map(c.environment.map((e) => [e.name, e.value]));
      const error = await this.run(t, steps, env, now).catch((e: unknown) => String(e));
      requestStop(t, now, { reason: "Essential container in task exited", stopCode: "EssentialContainerExited", exitCode: error ? 1 : 0 });
      await this.stopInMoto(t).catch((e: unknown) => this.world.log(`stopping ${t.id} in moto: ${String(e)}`));
      if (error) this.world.log(`one-off CLI task ${t.id}: ${error}`);
    }
  }

  /** Undefined when every step worked, else the CLI's error. */
  private async run(t: SimTask, steps: PoolCreate[], env: Map<string, string>, now: number): Promise<string | undefined> {
    const r = await this.reach(t);
    if (!r.reachable) return r.error ?? "httpx.ConnectError: the Prefect API is not reachable";
    const server = [...this.world.tasks.values()].find(
      (x) => x.clusterName === t.clusterName && x.phase === "RUNNING" && x.td.containers.some((c) => isServerCommand(c.command)),
    );
    if (!server) return "httpx.ConnectError: [Errno 111] Connection refused";
    const pools = await this.poolsOf(server);
    for (const s of steps) {
      const existing = pools.get(s.name);
      let template: Record<string, unknown> | undefined;
      if (s.templateVar) {
        try {
          template = JSON.parse(env.get(s.templateVar) ?? "") as Record<string, unknown>;
        } catch {
          return `Invalid JSON in the base job template file for ${s.name}`;
        }
      }
      if (existing && s.onlyIfMissing) continue;
      if (existing && !s.overwrite) return `Work pool named '${s.name}' already exists. Use --overwrite to update it.`;
      if (existing) {
        pools.set(s.name, { ...existing, ...(template ? { base_job_template: template } : {}) });
        continue;
      }
      pools.set(s.name, newPool(s.name, s.type ?? "process", now, template ? { base_job_template: template } : {}));
    }
    return undefined;
  }
}
