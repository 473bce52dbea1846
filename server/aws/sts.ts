import "server-only";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { awsClient } from "./client";
import { classifyAwsError } from "./errors";
import { log } from "@/server/log";

export type CallerIdentity =
  | { ok: true; account: string; arn: string; userId: string; region: string; endpoint: string | null }
  | { ok: false; region: string; message: string };

// aws sts get-caller-identity
export async function callerIdentity(region: string): Promise<CallerIdentity> {
  try {
    const r = await awsClient(STSClient, region).send(new GetCallerIdentityCommand({}));
    return {
      ok: true,
      account: r.Account ?? "?",
      arn: r.Arn ?? "?",
      userId: r.UserId ?? "?",
      region,
      endpoint: process.env.AWS_ENDPOINT_URL ?? null,
    };
  } catch (err) {
    const e = err as { name?: string; message?: string };
    log.warn("sts get-caller-identity failed", { name: e.name, detail: e.message });
    const noCreds = e.name === "CredentialsProviderError" || /Could not load credentials/i.test(e.message ?? "");
    const message = noCreds
      ? "No AWS credentials found. Set AWS_PROFILE (or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY), sign in with `aws sso login`, or run the console with an IAM role (ECS task role / instance profile)."
      : classifyAwsError(err).kind === "access-denied"
        ? "The credentials were rejected by AWS (expired or invalid). Refresh them and reload."
        : `AWS STS did not answer: ${e.message ?? e.name ?? "unknown error"}`;
    return { ok: false, region, message };
  }
}
