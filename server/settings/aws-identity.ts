import "server-only";
import { callerIdentity, type CallerIdentity } from "@/server/aws/sts";
import { config } from "@/server/config";

// The Settings page's "who does the console act as": the caller identity in the console's default region, and the
// endpoint the SDK talks to. No credentials or rejected ones are an answer here (shown with advice), not an error.
//   aws sts get-caller-identity
export async function consoleAwsIdentity(): Promise<CallerIdentity> {
  return callerIdentity(config().AWS_REGION);
}
