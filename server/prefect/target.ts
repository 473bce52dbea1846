import "server-only";
import { processSingleton } from "@/server/process-singleton";
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { getSecretString } from "@/server/aws/secrets";
import { log } from "@/server/log";

// Where the console finds the Prefect server's basic-auth string: the server container's
// PREFECT_SERVER_API_AUTH_STRING secret (task definition `secrets`, never plain `environment`). Reading it from the
// running task definition works for stacks made by the console and for adopted ones alike. The value is cached in
// memory for 5 minutes and never logged or sent to the browser.
export const AUTH_STRING_VARS = ["PREFECT_SERVER_API_AUTH_STRING", "PREFECT_API_AUTH_STRING"];

const cache = processSingleton("prefect-auth-cache", () => new Map<string, { value: string | undefined; until: number }>());

export function authSecretRef(td: TaskDefinition | undefined): string | undefined {
  for (const c of td?.containerDefinitions ?? []) {
    const s = c.secrets?.find((x) => x.name && AUTH_STRING_VARS.includes(x.name));
    if (s?.valueFrom) return s.valueFrom;
  }
  return undefined;
}

export async function prefectAuthString(region: string, td: TaskDefinition | undefined, now = Date.now()): Promise<string | undefined> {
  const ref = authSecretRef(td);
  if (!ref) return undefined;
  const hit = cache.get(ref);
  if (hit && hit.until > now) return hit.value;
  try {
    const value = await getSecretString(region, ref);
    cache.set(ref, { value, until: now + 5 * 60_000 });
    return value;
  } catch (err) {
    log.warn("prefect auth secret unreadable", { error: (err as Error).message });
    throw err;
  }
}

export function clearPrefectAuthCache(): void {
  cache.clear();
}
