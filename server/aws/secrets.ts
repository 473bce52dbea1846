import "server-only";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin Secrets Manager wrappers. Several engineers add functions here: add, don't restructure.
// Secret values never go to a log line, the browser or an audit row: callers keep them in memory only.

const sm = (region: string) => awsClient(SecretsManagerClient, region);

/**
 * A task definition's `secrets[].valueFrom` may carry a JSON key and version after the secret ARN
 * (`arn:aws:secretsmanager:<region>:<acct>:secret:<name>:<json-key>:<stage>:<version>`). Splits it.
 */
export function parseSecretRef(valueFrom: string): { secretId: string; jsonKey: string | null } {
  const parts = valueFrom.split(":");
  if (parts[0] === "arn" && parts.length > 7) return { secretId: parts.slice(0, 7).join(":"), jsonKey: parts[7] || null };
  return { secretId: valueFrom, jsonKey: null };
}

// aws secretsmanager get-secret-value --secret-id ARN|name  (JSON key extracted here when the reference names one)
export async function getSecretString(region: string, valueFrom: string): Promise<string | undefined> {
  const { secretId, jsonKey } = parseSecretRef(valueFrom);
  const out = await aws("secretsmanager:GetSecretValue", secretId.split(":").slice(6).join(":") || secretId, () =>
    sm(region).send(new GetSecretValueCommand({ SecretId: secretId })),
  );
  const s = out.SecretString;
  if (s === undefined || !jsonKey) return s;
  try {
    const v = (JSON.parse(s) as Record<string, unknown>)[jsonKey];
    return typeof v === "string" ? v : undefined;
  } catch {
    return undefined;
  }
}
