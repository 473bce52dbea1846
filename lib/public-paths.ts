// The only paths anyone may request without a session: the way in (incl. single sign-on), and the probes a load balancer and a container
// runtime call (they carry no detail). proxy.ts lets them through; the security tests check everything else refuses.

/** Pages anyone may open. */
export const PUBLIC_PAGES = ["/login", "/setup"] as const;

/** Single sign-on's start and the provider's redirect back: they create sessions, so they cannot need one. */
export const PUBLIC_SSO_ROUTES = ["/login/oidc", "/login/oidc/callback"] as const;

/** Endpoints anyone may call: liveness and readiness. */
export const PUBLIC_ENDPOINTS = ["/api/healthz", "/api/readyz"] as const;

export const isPublicPath = (pathname: string): boolean =>
  [...PUBLIC_PAGES, ...PUBLIC_SSO_ROUTES, ...PUBLIC_ENDPOINTS].some((p) => pathname === p || pathname.startsWith(p + "/"));
