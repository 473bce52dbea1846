import "server-only";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";

// The console's IAM policy as shipped in docs/iam-policy.json (its one home), shown verbatim on the Settings page for
// copying into `aws iam create-policy --policy-document file://…`. Not a secret: it names actions and ARN patterns only.

const POLICY_FILE = path.join(process.cwd(), "docs", "iam-policy.json");

const policySchema = z.object({ Version: z.string(), Statement: z.array(z.object({ Effect: z.enum(["Allow", "Deny"]) }).loose()) });

export type ConsolePolicy = { ok: true; text: string; statements: number } | { ok: false; message: string };

export async function consoleIamPolicy(): Promise<ConsolePolicy> {
  try {
    const text = await readFile(POLICY_FILE, "utf8");
    const parsed = policySchema.parse(JSON.parse(text));
    return { ok: true, text: text.trimEnd(), statements: parsed.Statement.length };
  } catch (err) {
    return { ok: false, message: `docs/iam-policy.json could not be read: ${(err as Error).message}` };
  }
}
