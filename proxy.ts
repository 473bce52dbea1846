import { NextResponse, type NextRequest } from "next/server";
import { isPublicPath } from "@/lib/public-paths";

// First line of defence only: anonymous requests (no session cookie at all) go to /login, or get 401 on /api.
// Every page, route handler and action still checks the session and role itself on the server. The public paths
// (sign-in, first admin, health probes) pass.

export function proxy(request: NextRequest) {
  const { pathname } = request.nextUrl;
  if (isPublicPath(pathname)) return NextResponse.next();
  if (request.cookies.has("pec_session")) return NextResponse.next();
  if (pathname.startsWith("/api/")) return NextResponse.json({ error: "Sign in to use the console." }, { status: 401 });
  const url = request.nextUrl.clone();
  url.pathname = "/login";
  url.search = pathname === "/" ? "" : `?next=${encodeURIComponent(pathname + request.nextUrl.search)}`;
  return NextResponse.redirect(url);
}

export const config = {
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg).*)"],
};
