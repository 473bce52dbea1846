// Isomorphic: removes credentials from text before it is shown or stored — a plan, a run row, a log line. The
// console never puts a secret there on purpose; this is the net for values read back from AWS (e.g. an adopted
// Terraform stack's task definition with the database password in a plain environment variable).

export const REDACTED = "***";

// scheme://user:password@host → scheme://user:***@host
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@"']+):[^\s@/"']+@/gi;
// NAME=value or "NAME":"value" where the name says it holds a secret
const SECRET_ASSIGNMENT = /\b([A-Z0-9_]*(?:PASSWORD|PASSWD|SECRET|TOKEN|AUTH_STRING|API_KEY|CREDENTIALS?)[A-Z0-9_]*)(=|":\s*")([^\s",]+)/gi;

export function redactCredentials(text: string): string {
  return text.replace(URL_USERINFO, `$1:${REDACTED}@`).replace(SECRET_ASSIGNMENT, `$1$2${REDACTED}`);
}
