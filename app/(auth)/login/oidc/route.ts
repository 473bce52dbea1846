import { cookies, headers } from "next/headers";
import { beginOidcSignIn, OIDC_CALLBACK_PATH, OIDC_STATE_COOKIE, oidcSettings } from "@/server/auth/oidc";
import { oidcRedirectUri } from "@/server/auth/oidc-request";
import { secureCookies } from "@/server/auth/current";
import { db } from "@/server/db";
import { seeOther } from "@/server/http/redirect";
import { log } from "@/server/log";

// GET /login/oidc?next=/stacks/production — public: starts single sign-on and sends the browser to the provider.
export async function GET(request: Request): Promise<Response> {
  const settings = oidcSettings();
  if (!settings) return new Response("Single sign-on is not configured.", { status: 404 });
  const h = await headers();
  try {
    const { url, state } = await beginOidcSignIn(await db(), settings, {
      redirectUri: oidcRedirectUri(settings, h),
      next: new URL(request.url).searchParams.get("next") ?? undefined,
    });
    (await cookies()).set(OIDC_STATE_COOKIE, state, {
      httpOnly: true,
      // Lax: the provider's redirect back is a top-level GET navigation from another site, which Lax still sends.
      sameSite: "lax",
      secure: await secureCookies(),
      path: OIDC_CALLBACK_PATH,
      maxAge: 600,
    });
    return Response.redirect(url.href, 303);
  } catch (err) {
    log.error("oidc sign-in could not start", { error: err instanceof Error ? err.message : String(err) });
    return seeOther("/login?error=sso-unavailable");
  }
}
