import { NextResponse, type NextRequest } from "next/server";
import { contentSecurityPolicy } from "./lib/csp";
import { isPublicPath } from "./lib/public-paths";
import { MAX_REQUEST_BYTES, TOO_LARGE_MESSAGE } from "./lib/request-limits";

// Runs before every page, route handler and server action (Next 16's middleware):
// 1. a Content Security Policy with a fresh nonce per request (Next's documented nonce pattern): Next reads the
//    request's CSP header and puts the nonce on its own inline bootstrap scripts; app/layout.tsx hands it to
//    next-themes. Scripts without the nonce do not run — no 'unsafe-inline' for scripts. This makes every page
//    dynamic (a prerendered page could not carry a per-request nonce); the console's pages are per-user anyway.
// 2. HSTS when the request came over HTTPS (directly or via the load balancer's X-Forwarded-Proto);
// 3. a clear 413 for bodies over MAX_REQUEST_BYTES, before anything parses them;
// 4. a first line of defence only: anonymous requests (no session cookie at all) go to /login, or get 401 on /api.
//    Every page, route handler and action still checks the session and role itself on the server. The public
//    paths (sign-in, first admin, single sign-on, health probes: lib/public-paths.ts) pass.

export function proxy(request: NextRequest) {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_REQUEST_BYTES) return new NextResponse(TOO_LARGE_MESSAGE, { status: 413, headers: { "content-type": "text/plain" } });

  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = contentSecurityPolicy(nonce);
  const https = request.headers.get("x-forwarded-proto") === "https" || request.nextUrl.protocol === "https:";
  const secure = (res: NextResponse) => {
    res.headers.set("Content-Security-Policy", csp);
    // One year, as browsers' preload lists expect; subdomains are left alone (the console may sit beside other apps).
    if (https) res.headers.set("Strict-Transport-Security", "max-age=31536000");
    return res;
  };

  const { pathname } = request.nextUrl;
  const anonymousAllowed = isPublicPath(pathname);
  if (!anonymousAllowed && !request.cookies.has("pec_session")) {
    if (pathname.startsWith("/api/")) return secure(NextResponse.json({ error: "Sign in to use the console." }, { status: 401 }));
    const url = request.nextUrl.clone();
    url.pathname = "/login";
    url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + request.nextUrl.search)}`;
    return secure(NextResponse.redirect(url));
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("Content-Security-Policy", csp);
  return secure(NextResponse.next({ request: { headers: requestHeaders } }));
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
