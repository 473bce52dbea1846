import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { requireUser } from "@/server/auth/current";
import { config } from "@/server/config";
import { consoleAwsIdentity } from "@/server/settings/aws-identity";
import { consoleIamPolicy } from "@/server/settings/iam-policy";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  const user = await requireUser();
  const c = config();
  const [id, policy] = await Promise.all([consoleAwsIdentity(), consoleIamPolicy()]);
  return (
    <>
      <PageHeader title="Settings" description="How this console reaches AWS and where it keeps its state." />
      <div className="grid max-w-3xl gap-4">
        <Card>
          <CardHeader
            title="AWS identity"
            description="Who the console acts as: the AWS SDK default credential chain (environment, profile/SSO, ECS task role, instance profile)."
          />
          <CardBody>
            {id.ok ? (
              <dl className="grid grid-cols-[9rem_1fr] gap-x-4 gap-y-1.5 text-sm">
                <dt className="text-muted-foreground">Account</dt>
                <dd className="font-mono">{id.account}</dd>
                <dt className="text-muted-foreground">Identity ARN</dt>
                <dd className="flex items-center gap-2 font-mono break-all">
                  {id.arn} <CopyButton value={id.arn} label="Copy identity ARN" />
                </dd>
                <dt className="text-muted-foreground">Default region</dt>
                <dd className="font-mono">{id.region}</dd>
                <dt className="text-muted-foreground">Endpoint</dt>
                <dd className="font-mono">{id.endpoint ?? "AWS (default endpoints)"}</dd>
              </dl>
            ) : (
              <Alert tone="failed" title="The console cannot reach AWS">
                {id.message}
              </Alert>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader
            title="IAM policy"
            description="The least-privilege policy the console's identity needs (docs/iam-policy.json). Attach it to the user or role above: aws iam create-policy --policy-name PrefectEcsConsole --policy-document file://iam-policy.json"
          />
          <CardBody>
            {policy.ok ? (
              <div className="grid gap-2">
                <div className="flex items-center justify-between text-sm text-muted-foreground">
                  <span>{policy.statements} statements</span>
                  <CopyButton value={policy.text} label="Copy IAM policy" />
                </div>
                <pre
                  aria-label="Console IAM policy (JSON)"
                  tabIndex={0}
                  className="max-h-96 overflow-auto rounded-md border bg-muted/40 p-3 font-mono text-xs"
                >
                  {policy.text}
                </pre>
              </div>
            ) : (
              <Alert tone="failed" title="The policy file is missing">
                {policy.message}
              </Alert>
            )}
          </CardBody>
        </Card>
        <Card>
          <CardHeader title="State store" />
          <CardBody className="text-sm">
            {c.DATABASE_URL
              ? "PostgreSQL (DATABASE_URL) — several console replicas may share it."
              : `SQLite file in ${user.role === "admin" ? c.CONSOLE_DATA_DIR : "the console's data directory"}.`}
          </CardBody>
        </Card>
      </div>
    </>
  );
}
