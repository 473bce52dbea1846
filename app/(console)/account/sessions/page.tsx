import type { Metadata } from "next";
import { PageHeader } from "@/components/layout/page-header";
import { SessionsTable } from "@/components/account/sessions-table";
import { config } from "@/server/config";
import { currentSessionId, requireUser } from "@/server/auth/current";
import { listSessions } from "@/server/auth/sessions";
import { db } from "@/server/db";

export const metadata: Metadata = { title: "Your sessions" };

export default async function SessionsPage() {
  const me = await requireUser();
  const c = config();
  const sessions = await listSessions(await db(), me.id, c.CONSOLE_SESSION_IDLE_MINUTES * 60_000);
  const current = await currentSessionId();
  return (
    <>
      <PageHeader
        title="Your sessions"
        description={`Browsers signed in as ${me.email}. A session ends after ${c.CONSOLE_SESSION_TTL_HOURS} h, or after ${c.CONSOLE_SESSION_IDLE_MINUTES} min without a request.`}
      />
      <SessionsTable sessions={sessions.map((s) => ({ ...s, current: s.id === current }))} />
    </>
  );
}
