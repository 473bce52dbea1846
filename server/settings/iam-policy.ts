import "server-only";
import { z } from "zod";
// Bundled at build time: the standalone server and the container image ship no docs/ folder.
import policy from "@/docs/iam-policy.json";

// The console's IAM policy as shipped in docs/iam-policy.json (its one home), shown verbatim on the Settings page for
// copying into `aws iam create-policy --policy-document file://…`. Not a secret: it names actions and ARN patterns only.

const policySchema = z.object({ Version: z.string(), Statement: z.array(z.object({ Effect: z.enum(["Allow", "Deny"]) }).loose()) });

export type ConsolePolicy = { ok: true; text: string; statements: number } | { ok: false; message: string };

export async function consoleIamPolicy(): Promise<ConsolePolicy> {
  const parsed = policySchema.safeParse(policy);
  if (!parsed.success) return { ok: false, message: `docs/iam-policy.json is not an IAM policy: ${parsed.error.message}` };
  return { ok: true, text: JSON.stringify(policy, null, 2), statements: parsed.data.Statement.length };
}
