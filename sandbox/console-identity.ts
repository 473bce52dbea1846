// The console's own IAM user in the sandbox account: `prefect-console`, holding exactly the policy the product
// documents (docs/iam-policy.json) and nothing else. Its access key goes to the console through sandbox.env; the
// AWS proxy evaluates every request signed with it (aws-proxy/authorization.ts). The seed and the simulator keep
// the account's administrator credentials.
import fs from "node:fs";
import path from "node:path";
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreatePolicyCommand, CreateUserCommand, IAMClient } from "@aws-sdk/client-iam";
import type { PolicyDocument, Principal } from "./aws-proxy/authorization";

export const CONSOLE_USER = "prefect-console";
export const CONSOLE_POLICY = "PrefectEcsConsole";

/** The policy file the product ships (README → IAM permissions). */
export function consolePolicyPath(): string {
  return path.resolve(__dirname, "..", "docs", "iam-policy.json");
}

export interface ConsoleIdentity extends Principal {
  accessKeyId: string;
  secretAccessKey: string;
}

export async function createConsoleIdentity(motoEndpoint: string, region: string): Promise<ConsoleIdentity> {
  const text = fs.readFileSync(consolePolicyPath(), "utf8");
  const policy = JSON.parse(text) as PolicyDocument;
  const iam = new IAMClient({ endpoint: motoEndpoint, region, credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  try {
    const user = await iam.send(new CreateUserCommand({ UserName: CONSOLE_USER }));
    const created = await iam.send(new CreatePolicyCommand({ PolicyName: CONSOLE_POLICY, PolicyDocument: text }));
    await iam.send(new AttachUserPolicyCommand({ UserName: CONSOLE_USER, PolicyArn: created.Policy?.Arn }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: CONSOLE_USER }));
    return {
      userArn: user.User?.Arn ?? `arn:aws:iam::123456789012:user/${CONSOLE_USER}`,
      policies: [policy],
      accessKeyId: key.AccessKey?.AccessKeyId ?? "",
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? "",
    };
  } finally {
    iam.destroy();
  }
}
