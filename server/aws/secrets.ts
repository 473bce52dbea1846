import "server-only";
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  RestoreSecretCommand,
  SecretsManagerClient,
  type DescribeSecretCommandOutput,
} from "@aws-sdk/client-secrets-manager";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

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

// ── Provisioning (server/stack) ──────────────────────────────────────────────────────────────────────────────

export type SecretInfo = DescribeSecretCommandOutput;

// aws secretsmanager describe-secret --secret-id NAME  (missing → undefined; scheduled for deletion → DeletedDate set)
export async function describeSecret(region: string, name: string): Promise<SecretInfo | undefined> {
  try {
    return await sm(region).send(new DescribeSecretCommand({ SecretId: name }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("secretsmanager:DescribeSecret", name, () => Promise.reject(err));
  }
}

// aws secretsmanager get-random-password --password-length 32 --exclude-punctuation  (the seed: random_password, special = false)
export async function randomPassword(region: string, length = 32): Promise<string> {
  const out = await aws("secretsmanager:GetRandomPassword", "password", () =>
    sm(region).send(new GetRandomPasswordCommand({ PasswordLength: length, ExcludePunctuation: true, IncludeSpace: false })),
  );
  if (!out.RandomPassword) throw new Error("GetRandomPassword returned nothing");
  return out.RandomPassword;
}

// aws secretsmanager create-secret --name N --secret-string … --tags …  (ClientRequestToken makes a retry idempotent)
export async function createSecret(
  region: string,
  input: { name: string; description: string; value: string; tags: Record<string, string>; token: string },
): Promise<void> {
  await aws("secretsmanager:CreateSecret", input.name, () =>
    sm(region).send(
      new CreateSecretCommand({
        Name: input.name,
        Description: input.description,
        SecretString: input.value,
        ClientRequestToken: input.token,
        Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    ),
  );
}

// aws secretsmanager get-secret-value --secret-id N
export async function getSecretValue(region: string, name: string): Promise<string> {
  const out = await aws("secretsmanager:GetSecretValue", name, () => sm(region).send(new GetSecretValueCommand({ SecretId: name })));
  if (out.SecretString === undefined) throw new Error(`secret ${name} has no string value`);
  return out.SecretString;
}

// aws secretsmanager put-secret-value --secret-id N --secret-string …
export async function putSecretValue(region: string, name: string, value: string): Promise<void> {
  await aws("secretsmanager:PutSecretValue", name, () =>
    sm(region).send(new PutSecretValueCommand({ SecretId: name, SecretString: value })),
  );
}

// aws secretsmanager restore-secret --secret-id N  (undo a scheduled deletion: a destroyed stack re-created within
// the recovery window gets its old password back, which is what a restored final snapshot needs)
export async function restoreSecret(region: string, name: string): Promise<void> {
  await aws("secretsmanager:RestoreSecret", name, () => sm(region).send(new RestoreSecretCommand({ SecretId: name })));
}

// aws secretsmanager delete-secret --secret-id N --recovery-window-in-days 7  (7–30; recoverable until then)
export async function deleteSecret(region: string, name: string): Promise<void> {
  try {
    await sm(region).send(new DeleteSecretCommand({ SecretId: name, RecoveryWindowInDays: 7 }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("secretsmanager:DeleteSecret", name, () => Promise.reject(err));
  }
}
