import { cookies, headers } from "next/headers";
import { recordAudit } from "@/server/audit/audit";
import { requestClientAddress, startSession } from "@/server/auth/current";
import { completeOidcSignIn, OIDC_CALLBACK_PATH, OIDC_STATE_COOKIE, oidcSettings } from "@/server/auth/oidc";
import { oidcRedirectUri } from "@/server/auth/oidc-request";
import { db } from "@/server/db";
import { seeOther } from "@/server/http/redirect";

// GET /login/oidc/callback?code=…&state=…&iss=… — public: the provider sends the browser back here. Every refusal
// is audited with its reason; the browser only learns "sign-in failed" (or that its groups map to no role).
export async function GET(request: Request): Promise<Response> {
  const settings = oidcSettings();
  if (!settings) return new Response("Single sign-on is not configured.", { status: 404 });
  const store = await db();
  const jar = await cookies();
  const received = new URL(request.url);
  // The token request must name the registered redirect URI, not the address this process happens to listen on.
  const callbackUrl = new URL(oidcRedirectUri(settings, await headers()));
  callbackUrl.search = received.search;
  const outcome = await completeOidcSignIn(store, settings, { callbackUrl, cookieState: jar.get(OIDC_STATE_COOKIE)?.value });
  jar.delete({ name: OIDC_STATE_COOKIE, path: OIDC_CALLBACK_PATH });
  const address = await requestClientAddress();
  const toLogin = (error: string) => seeOther(`/login?error=${error}`);
  if (!outcome.ok) {
    await recordAudit(store, {
      actor: { email: outcome.email ?? "anonymous" },
      action: "auth.oidc",
      target: outcome.email ? `user:${outcome.email}` : "-",
      params: { address },
      outcome: "denied",
      message: outcome.detail,
    });
    return toLogin(outcome.kind === "failed" ? "sso-failed" : outcome.kind === "no-group" ? "sso-no-group" : "sso-disabled");
  }
  await startSession(outcome.user.id);
  await recordAudit(store, {
    actor: outcome.user,
    action: "auth.oidc",
    target: `user:${outcome.user.email}`,
    params: { address },
    outcome: "ok",
  });
  return seeOther(outcome.next);
}
