// What ECS injects into a container: its plain `environment` plus each `secrets[]` entry resolved from Secrets
// Manager. valueFrom is the secret's ARN, optionally `arn:…:secret:name-AbCdEf:json-key:version-stage:version-id`
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html).
// Whether ECS may resolve it at all (ARN vs SSM name, execution role, egress) is decided at task start; this only
// reads the value, for the sandbox's own stand-ins (the Prefect server's database URL, its auth string).
import { GetSecretValueCommand } from "@aws-sdk/client-secrets-manager";
import type { MotoClients } from "./clients";
import type { ContainerInfo } from "./world";

const SECRET_ARN = /^(arn:[^:]+:secretsmanager:[^:]+:[^:]+:secret:[^:]+)(?::([^:]*):([^:]*):([^:]*))?$/;

/**
 * The value ECS would inject for one `secrets[].valueFrom` (undefined when the secret, version or key does not exist).
 * Any other error (moto busy, a reset connection) is thrown: the caller tries again rather than start a Prefect server
 * as if it had no database URL.
 */
export async function secretValueFrom(c: Pick<MotoClients, "sm">, valueFrom: string): Promise<string | undefined> {
  const m = SECRET_ARN.exec(valueFrom);
  const secretId = m?.[1] ?? valueFrom;
  const jsonKey = m?.[2];
  const r = await c.sm
    .send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: m?.[3] || undefined, VersionId: m?.[4] || undefined }))
    .catch((e: unknown) => {
      if (e instanceof Error && e.name === "ResourceNotFoundException") return undefined;
      throw e;
    });
  const s = r?.SecretString;
  if (s === undefined || !jsonKey) return s;
  try {
    const v = (JSON.parse(s) as Record<string, unknown>)[jsonKey];
    return v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

/** The container's environment as the process sees it: plain variables, then secrets (which win, as in ECS). */
export async function containerEnvironment(c: Pick<MotoClients, "sm">, container: ContainerInfo): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const e of container.environment) env[e.name] = e.value;
  for (const s of container.secrets) {
    const v = await secretValueFrom(c, s.valueFrom);
    if (v !== undefined) env[s.name] = v;
  }
  return env;
}
