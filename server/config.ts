import "server-only";
import path from "node:path";
import { z } from "zod";

// Every environment variable the console reads, parsed once. README.md "Configuration" lists the same set.
const schema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  CONSOLE_DATA_DIR: z.string().default(path.join(process.cwd(), ".data")),
  DATABASE_URL: z.string().url().optional(),
  CONSOLE_ADMIN_EMAIL: z.string().email().optional(),
  CONSOLE_ADMIN_PASSWORD: z.string().min(12).optional(),
  CONSOLE_SESSION_TTL_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 30)
    .default(12),
  // Set when the console is served over HTTPS (directly or behind a TLS-terminating load balancer).
  CONSOLE_SECURE_COOKIES: z.enum(["true", "false"]).optional(),
  AWS_REGION: z.string().default("us-east-1"),
  AWS_ENDPOINT_URL: z.string().url().optional(),
  CONSOLE_LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  // Provisioning runs: how often a waiting step re-checks readiness at most (it starts at 250 ms and backs off to
  // this), and the first retry delay after a retryable AWS error (doubling, capped at 60 s).
  CONSOLE_APPLY_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(5_000),
  CONSOLE_APPLY_BACKOFF_MS: z.coerce.number().int().min(10).max(60_000).default(2_000),
  // SIGTERM to exit at most: below ECS's stopTimeout (30 s unless the task definition says otherwise, 120 s at most),
  // after which ECS sends SIGKILL.
  CONSOLE_SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1_000).max(120_000).default(25_000),
});

export type Config = z.infer<typeof schema>;

let cached: Config | undefined;

export function config(): Config {
  if (!cached) {
    const parsed = schema.safeParse(process.env);
    if (!parsed.success) {
      const detail = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`Invalid console configuration: ${detail}`);
    }
    cached = parsed.data;
  }
  return cached;
}
