// Run-time fault injection for the AWS proxy: throttling, 5xx, added latency, dropped connections, each a
// probability; optionally limited to some operations ("DescribeServices" or "ecs:DescribeServices") or services.
// A seeded PRNG makes a run reproducible. Off by default.
import { z } from "zod";
import { mulberry32, type Rng } from "../util/prng";

const prob = z.number().min(0).max(1);

export const FaultConfigSchema = z
  .object({
    throttle: prob.optional(),
    error5xx: prob.optional(),
    drop: prob.optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
    /** Extra latency drawn uniformly from [0, jitterMs]. */
    jitterMs: z.number().int().min(0).max(120_000).optional(),
    operations: z.array(z.string().min(1)).optional(),
    services: z.array(z.string().min(1)).optional(),
    seed: z.number().int().optional(),
  })
  .strict();

export type FaultConfig = z.infer<typeof FaultConfigSchema>;

export type FaultDecision = { latencyMs: number; action: "none" | "throttle" | "5xx" | "drop" };

export class FaultInjector {
  private config: FaultConfig | undefined;
  private rng: Rng = mulberry32(1);
  injected: Record<string, number> = { throttle: 0, "5xx": 0, drop: 0, latency: 0 };

  set(config: FaultConfig): void {
    this.config = config;
    this.rng = mulberry32(config.seed ?? Date.now() % 2 ** 31);
  }

  clear(): void {
    this.config = undefined;
  }

  get current(): FaultConfig | undefined {
    return this.config;
  }

  matches(service: string, operation: string): boolean {
    const c = this.config;
    if (!c) return false;
    if (c.services && !c.services.includes(service)) return false;
    if (c.operations && !c.operations.some((o) => o === operation || o === `${service}:${operation}`)) return false;
    return true;
  }

  decide(service: string, operation: string): FaultDecision {
    const c = this.config;
    if (!c || !this.matches(service, operation)) return { latencyMs: 0, action: "none" };
    const latencyMs = (c.latencyMs ?? 0) + (c.jitterMs ? Math.floor(this.rng() * c.jitterMs) : 0);
    if (latencyMs > 0) this.injected.latency = (this.injected.latency ?? 0) + 1;
    const r = this.rng();
    const drop = c.drop ?? 0;
    const throttle = c.throttle ?? 0;
    const e5 = c.error5xx ?? 0;
    let action: FaultDecision["action"] = "none";
    if (r < drop) action = "drop";
    else if (r < drop + throttle) action = "throttle";
    else if (r < drop + throttle + e5) action = "5xx";
    if (action !== "none") this.injected[action] = (this.injected[action] ?? 0) + 1;
    return { latencyMs, action };
  }
}
