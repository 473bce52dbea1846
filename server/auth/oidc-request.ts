import "server-only";
import { OIDC_CALLBACK_PATH, type OidcSettings } from "./oidc";

type HeaderBag = Pick<Headers, "get">;

/** The redirect URI: CONSOLE_OIDC_REDIRECT_URI, else this console's origin as the browser sees it + the callback path. */
export function oidcRedirectUri(s: OidcSettings, h: HeaderBag): string {
  if (s.redirectUri) return s.redirectUri;
  const proto = h.get("x-forwarded-proto") === "https" ? "https" : "http";
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost";
  return `${proto}://${host}${OIDC_CALLBACK_PATH}`;
}
