// What the login page says after a refused single sign-on (`/login?error=<code>`). Only these fixed texts reach the
// browser; the reason (bad state, wrong issuer, expired code…) is in the audit log.
export const SSO_ERRORS = {
  "sso-failed": "Sign-in failed.",
  "sso-no-group": "Your account is not in any group that may use this console. Ask your administrator for access.",
  "sso-disabled": "This account is disabled. Ask an admin to enable it.",
  "sso-unavailable": "Single sign-on is unavailable right now. Try again in a minute.",
} as const;

export function ssoErrorMessage(code: unknown): string | undefined {
  return typeof code === "string" && Object.hasOwn(SSO_ERRORS, code) ? SSO_ERRORS[code as keyof typeof SSO_ERRORS] : undefined;
}
