import "server-only";
import { createHash } from "node:crypto";
import * as client from "openid-client";
import { z } from "zod";
import { config, type Config } from "@/server/config";
import type { Db } from "@/server/db";
import { log } from "@/server/log";
import { hasRole, type Role } from "@/lib/roles";
import { safeNextPath } from "@/lib/safe-next";
import { createOidcUser, findUserByEmail, findUserByOidcSubject, linkOidcSubject, setRoleFromProvider, type User } from "./users";

// Single sign-on with any OpenID Connect provider (Okta, Entra ID, Google, IAM Identity Center, Keycloak…):
// the authorization code flow with PKCE, state and nonce, through `openid-client` (discovery, token exchange, ID token
// signature / issuer / audience / nonce / expiry checks and RFC 9207 `iss` checks are the library's).
// A sign-in in flight is a row in oidc_logins keyed by the SHA-256 of its state and bound to the browser by a cookie
// holding that state; the callback deletes the row as it reads it, so a callback URL works once.

export const OIDC_STATE_COOKIE = "pec_oidc";
export const OIDC_CALLBACK_PATH = "/login/oidc/callback";
const IN_FLIGHT_MS = 10 * 60_000;

export interface OidcSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: string | undefined;
  name: string;
  groupsClaim: string;
  roleMap: Array<[string, Role]>;
}

export function oidcSettings(c: Config = config()): OidcSettings | undefined {
  if (!c.CONSOLE_OIDC_ISSUER || !c.CONSOLE_OIDC_CLIENT_ID || !c.CONSOLE_OIDC_ROLE_MAP) return undefined;
  return {
    issuer: new URL(c.CONSOLE_OIDC_ISSUER),
    clientId: c.CONSOLE_OIDC_CLIENT_ID,
    clientSecret: c.CONSOLE_OIDC_CLIENT_SECRET,
    redirectUri: c.CONSOLE_OIDC_REDIRECT_URI,
    name: c.CONSOLE_OIDC_NAME,
    groupsClaim: c.CONSOLE_OIDC_GROUPS_CLAIM,
    roleMap: c.CONSOLE_OIDC_ROLE_MAP,
  };
}

/** The strongest role any of the user's groups maps to, or undefined when none is mapped. */
export function roleForGroups(groups: readonly string[], roleMap: ReadonlyArray<[string, Role]>): Role | undefined {
  let best: Role | undefined;
  for (const [group, role] of roleMap) if (groups.includes(group) && (!best || hasRole(role, best))) best = role;
  return best;
}

const discovered = new Map<string, Promise<client.Configuration>>();

/** Discovery once per issuer per process (a failed discovery is retried on the next sign-in). */
function providerConfig(s: OidcSettings): Promise<client.Configuration> {
  const key = `${s.issuer.href} ${s.clientId}`;
  let p = discovered.get(key);
  if (!p) {
    // Plain HTTP only for an issuer on this machine (a lab or test provider); anywhere else HTTPS is required.
    const loopback = s.issuer.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(s.issuer.hostname);
    p = client.discovery(
      s.issuer,
      s.clientId,
      s.clientSecret,
      s.clientSecret ? undefined : client.None(),
      loopback ? { execute: [client.allowInsecureRequests] } : undefined,
    );
    discovered.set(key, p);
    p.catch(() => discovered.delete(key));
  }
  return p;
}

/**
 * openid-client wraps the precise reason (e.g. `unexpected "iss" (issuer) response parameter value`) in `cause`, and a
 * provider's refusal (`invalid_grant`: expired or used code) in `error` / `error_description`: the audit log gets all.
 */
export function describeOidcError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const e = err as Error & { code?: unknown; error?: unknown; error_description?: unknown };
  const parts = [e.code, e.message, e.error, e.error_description, e.cause instanceof Error ? e.cause.message : undefined];
  return parts
    .filter((p): p is string => typeof p === "string" && p !== "")
    .join(" — ")
    .slice(0, 500);
}

const hash = (s: string) => createHash("sha256").update(s).digest("hex");

/** Starts a sign-in: remembers state, nonce and PKCE verifier, and returns the provider's authorization URL. */
export async function beginOidcSignIn(
  db: Db,
  s: OidcSettings,
  opts: { redirectUri: string; next?: unknown; now?: number },
): Promise<{ url: URL; state: string }> {
  const now = opts.now ?? Date.now();
  const cfg = await providerConfig(s);
  const state = client.randomState();
  const nonce = client.randomNonce();
  const verifier = client.randomPKCECodeVerifier();
  await db.run("DELETE FROM oidc_logins WHERE expires_at <= ?", [now]);
  await db.run("INSERT INTO oidc_logins (state_hash, nonce, code_verifier, next_path, expires_at) VALUES (?, ?, ?, ?, ?)", [
    hash(state),
    nonce,
    verifier,
    safeNextPath(opts.next),
    now + IN_FLIGHT_MS,
  ]);
  const url = client.buildAuthorizationUrl(cfg, {
    redirect_uri: opts.redirectUri,
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
  });
  return { url, state };
}

/** Why a sign-in was refused. `detail` goes to the audit log and server log only; the browser sees `kind`. */
export type OidcRefusal = { ok: false; kind: "failed" | "no-group" | "disabled"; email?: string; detail: string };
export type OidcOutcome = { ok: true; user: User; next: string } | OidcRefusal;

const claimsSchema = z.object({
  sub: z.string().min(1).max(255),
  email: z.string().trim().toLowerCase().email().max(254),
  email_verified: z.boolean().optional(),
  name: z.string().trim().max(100).optional(),
});

const callbackParams = z.object({
  state: z.string().min(16).max(256),
  code: z.string().min(1).max(4096).optional(),
});

/**
 * Finishes a sign-in from the provider's redirect. `callbackUrl` is the registered redirect URI plus the query the
 * provider sent; `cookieState` is what this browser's state cookie holds.
 */
export async function completeOidcSignIn(
  db: Db,
  s: OidcSettings,
  opts: { callbackUrl: URL; cookieState: string | undefined; now?: number },
): Promise<OidcOutcome> {
  const now = opts.now ?? Date.now();
  const refuse = (detail: string, kind: OidcRefusal["kind"] = "failed", email?: string): OidcRefusal => ({
    ok: false,
    kind,
    detail,
    email,
  });
  const params = callbackParams.safeParse(Object.fromEntries(opts.callbackUrl.searchParams));
  if (!params.success) return refuse("callback without a valid state parameter");
  const { state } = params.data;
  if (!opts.cookieState || opts.cookieState !== state) return refuse("state does not match this browser's sign-in");
  const flight = await db.get<{ nonce: string; code_verifier: string; next_path: string | null; expires_at: number }>(
    "DELETE FROM oidc_logins WHERE state_hash = ? RETURNING nonce, code_verifier, next_path, expires_at",
    [hash(state)],
  );
  if (!flight) return refuse("unknown or already used state (replayed callback?)");
  if (Number(flight.expires_at) <= now) return refuse("sign-in took longer than 10 minutes");

  let claims: Record<string, unknown>;
  try {
    const cfg = await providerConfig(s);
    const tokens = await client.authorizationCodeGrant(cfg, opts.callbackUrl, {
      pkceCodeVerifier: flight.code_verifier,
      expectedState: state,
      expectedNonce: flight.nonce,
      idTokenExpected: true,
    });
    claims = { ...(tokens.claims() ?? {}) };
  } catch (err) {
    const detail = describeOidcError(err);
    log.warn("oidc sign-in refused", { detail });
    return refuse(detail);
  }
  const parsed = claimsSchema.safeParse(claims);
  if (!parsed.success) return refuse("ID token lacks a usable sub / email claim");
  const { sub, email, email_verified, name } = parsed.data;
  const rawGroups = claims[s.groupsClaim];
  const groups = Array.isArray(rawGroups) ? rawGroups.filter((g): g is string => typeof g === "string") : [];
  const role = roleForGroups(groups, s.roleMap);
  if (!role) return refuse(`groups [${groups.join(", ")}] map to no role`, "no-group", email);

  const subject = `${s.issuer.href}|${sub}`;
  let user = await findUserByOidcSubject(db, subject);
  if (!user) {
    const byEmail = await findUserByEmail(db, email);
    if (byEmail) {
      // Linking an existing account by email needs the provider to vouch for the address.
      if (email_verified !== true) return refuse("email matches an existing user but is not verified by the provider", "failed", email);
      await linkOidcSubject(db, byEmail.id, subject);
      user = byEmail;
    } else {
      user = await createOidcUser(db, { email, name: name || email, role, subject });
    }
  }
  if (user.disabled) return refuse("user is disabled", "disabled", email);
  // The provider's groups decide the role on every sign-in.
  if (user.role !== role) user = (await setRoleFromProvider(db, user.id, role)) ?? user;
  return { ok: true, user, next: flight.next_path ?? "/stacks" };
}
