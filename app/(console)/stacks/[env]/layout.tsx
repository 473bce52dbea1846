import Link from "next/link";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/layout/page-header";
import { StackTabs } from "@/components/stack/stack-tabs";
import { StatusBadge } from "@/components/ui/status-badge";
import { ENV_NAME_PATTERN } from "@/lib/names";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { getStack } from "@/server/stack/registry";

// The frame of every /stacks/<env>/… page: name, lifecycle state, region, and the stack's tabs.
export default async function StackLayout({ children, params }: { children: React.ReactNode; params: Promise<{ env: string }> }) {
  await requireUser();
  const { env } = await params;
  if (!ENV_NAME_PATTERN.test(env)) notFound();
  const stack = await getStack(await db(), env);
  if (!stack) notFound(); // destroyed stacks keep their pages (the destroy run, the timeline)
  return (
    <>
      <PageHeader
        breadcrumb={
          <Link href="/stacks" className="hover:underline">
            Stacks
          </Link>
        }
        title={
          <span className="flex flex-wrap items-center gap-2">
            {env}
            <StatusBadge state={stack.status} />
            {stack.adopted ? <StatusBadge tone="neutral" label="adopted" /> : null}
          </span>
        }
        description={
          <>
            Prefect 3 on ECS Fargate · <span className="font-mono">{stack.region}</span> · cluster{" "}
            <span className="font-mono">prefect-{env}</span>
          </>
        }
      />
      <StackTabs env={env} />
      {children}
    </>
  );
}
