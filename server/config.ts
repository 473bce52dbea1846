import "server-only";
import path from "node:path";
import { z } from "zod";
import { ROLES, type Role } from "@/lib/roles";

/** `platform-admins=admin,oncall=operator` → [["platform-admins","admin"], ["oncall","operator"]]. */
function parseRoleMap(text: string, ctx: z.RefinementCtx): Array<[string, Role]> {
  const pairs: Array<[string, Role]> = [];
  for (const part of text
    .split(",")
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [group, role, extra] = part.split("=").map((s) => s.trim());
    if (!group || !role || extra !== undefined || !(ROLES as readonly string[]).includes(role)) {
      ctx.addIssue({ code: "custom", message: `"${part}" is not group=viewer|operator|admin` });
      return [];
    }
    pairs.push([group, role as Role]);
  }
  if (pairs.length === 0) ctx.addIssue({ code: "custom", message: "map at least one group to a role" });
  return pairs;
}

// Every environment variable the console reads, parsed once. README.md "Configuration" lists the same set.
const schema = z
  .object({
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
    // Signed-in sessions also end after this many minutes without a request (besides the absolute TTL above).
    CONSOLE_SESSION_IDLE_MINUTES: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 60)
      .default(60),
    // `Secure` cookies: on by default when NODE_ENV=production (or behind X-Forwarded-Proto: https); `false` only for a
    // plain-HTTP lab.
    CONSOLE_SECURE_COOKIES: z.enum(["true", "false"]).optional(),
    // How many reverse proxies in front of the console append to X-Forwarded-For (1 behind an ALB). 0 = the client
    // address is the TCP peer; anything a client writes into X-Forwarded-For itself is never trusted.
    CONSOLE_TRUSTED_PROXY_HOPS: z.coerce.number().int().min(0).max(5).default(0),
    // Single sign-on with any OpenID Connect provider (authorization code flow + PKCE). All of issuer, client id and
    // role map turn it on; the secret is optional (public clients); the redirect URI defaults to <origin>/login/oidc/callback.
    CONSOLE_OIDC_ISSUER: z.string().url().optional(),
    CONSOLE_OIDC_CLIENT_ID: z.string().min(1).optional(),
    CONSOLE_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    CONSOLE_OIDC_REDIRECT_URI: z.string().url().optional(),
    CONSOLE_OIDC_NAME: z.string().trim().min(1).max(40).default("single sign-on"),
    CONSOLE_OIDC_GROUPS_CLAIM: z.string().trim().min(1).default("groups"),
    CONSOLE_OIDC_ROLE_MAP: z
      .string()
      .optional()
      .transform((v, ctx) => (v === undefined ? undefined : parseRoleMap(v, ctx))),
    // `false` turns password sign-in off (single sign-on only); needs OIDC configured.
    CONSOLE_PASSWORD_LOGIN: z.enum(["true", "false"]).default("true"),
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
  })
  .superRefine((c, ctx) => {
    const oidc = [c.CONSOLE_OIDC_ISSUER, c.CONSOLE_OIDC_CLIENT_ID, c.CONSOLE_OIDC_ROLE_MAP];
    if (oidc.some(Boolean) && !oidc.every(Boolean))
      ctx.addIssue({
        code: "custom",
        path: ["CONSOLE_OIDC_ISSUER"],
        message: "set CONSOLE_OIDC_ISSUER, _CLIENT_ID and _ROLE_MAP together",
      });
    if (c.CONSOLE_PASSWORD_LOGIN === "false" && !c.CONSOLE_OIDC_ISSUER)
      ctx.addIssue({
        code: "custom",
        path: ["CONSOLE_PASSWORD_LOGIN"],
        message: "password sign-in can only be off when OIDC is configured",
      });
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
