import "server-only";
import { findDbInstance } from "@/server/aws/rds";
import { describeSecret, getSecretString, getSecretValue } from "@/server/aws/secrets";
import type { StackContext } from "../types";
import { latestTaskDefinition } from "./task-definitions";

// Adopting a stack the Terraform walkthrough made: its database already has a master password, which the running
// server knows. The console must carry that password into its own secret (prefect/<env>/rds-password), never
// generate a new one — a new one would not match the database and the server could no longer log in.
// Where the password is found, in order:
//   1. the server task definition's PREFECT_API_DATABASE_CONNECTION_URL (the walkthrough puts it in the plain
//      environment; a later setup may reference a secret) — what the running server uses against this database;
//   2. the walkthrough's secret `prefect/rds-password`.

const URL_VAR = "PREFECT_API_DATABASE_CONNECTION_URL";

/** The password in a SQLAlchemy URL (`postgresql+asyncpg://user:password@host/db`), decoded. */
export function passwordOfUrl(url: string): string | undefined {
  const m = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]+:([^@]+)@/i.exec(url);
  if (!m?.[1]) return undefined;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return m[1];
  }
}

async function fromServerTaskDefinition(ctx: StackContext): Promise<string | undefined> {
  const td = await latestTaskDefinition(ctx.region, ctx.names.serverTaskFamily);
  for (const c of td?.containerDefinitions ?? []) {
    const plain = c.environment?.find((e) => e.name === URL_VAR)?.value;
    if (plain) return passwordOfUrl(plain);
    const ref = c.secrets?.find((s) => s.name === URL_VAR)?.valueFrom;
    if (ref) {
      const url = await getSecretString(ctx.region, ref).catch(() => undefined);
      if (url) return passwordOfUrl(url);
    }
  }
  return undefined;
}

async function fromWalkthroughSecret(ctx: StackContext): Promise<string | undefined> {
  const info = await describeSecret(ctx.region, ctx.names.dbSecret);
  if (!info || info.DeletedDate) return undefined;
  return getSecretValue(ctx.region, ctx.names.dbSecret);
}

/**
 * The password an existing database of this stack uses, or undefined when there is no database yet (a new stack).
 * "unknown" when the database exists but its password cannot be found (the caller refuses: no mismatching secret).
 */
export async function existingDbPassword(ctx: StackContext): Promise<{ password: string; source: string } | "no-database" | "unknown"> {
  if (!(await findDbInstance(ctx.region, ctx.names.dbInstance))) return "no-database";
  const fromTd = await fromServerTaskDefinition(ctx);
  if (fromTd) return { password: fromTd, source: `task definition ${ctx.names.serverTaskFamily}` };
  const fromSecret = await fromWalkthroughSecret(ctx);
  if (fromSecret) return { password: fromSecret, source: `secret ${ctx.names.dbSecret}` };
  return "unknown";
}
