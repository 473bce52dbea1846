import type { Metadata } from "next";
import Link from "next/link";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { formatDuration } from "@/lib/format";
import { requireUser } from "@/server/auth/current";
import { db } from "@/server/db";
import { listRuns } from "@/server/stack/runs";

export const metadata: Metadata = { title: "Runs" };

export default async function RunsPage({ params }: { params: Promise<{ env: string }> }) {
  await requireUser();
  const { env } = await params;
  const runs = await listRuns(await db(), env, 50);
  if (!runs.length) return <EmptyState title="No runs yet">Applies and destroys of this stack show up here.</EmptyState>;
  return (
    <Table aria-label="Runs">
      <thead>
        <tr>
          <Th>Run</Th>
          <Th>State</Th>
          <Th>Started</Th>
          <Th>Took</Th>
          <Th>By</Th>
        </tr>
      </thead>
      <tbody>
        {runs.map((r) => (
          <tr key={r.id}>
            <Td>
              <Link href={`/stacks/${env}/runs/${r.id}`} className="text-primary hover:underline">
                {r.kind} · <span className="font-mono text-xs">{r.id.slice(0, 8)}</span>
              </Link>
            </Td>
            <Td>
              <StatusBadge state={r.status === "succeeded" ? "done" : r.status} label={r.status} />
            </Td>
            <Td>
              <RelativeTime ms={r.createdAt} />
            </Td>
            <Td className="tabular-nums">{r.finishedAt && r.startedAt ? formatDuration(r.finishedAt - r.startedAt) : "—"}</Td>
            <Td className="text-xs">{r.createdBy}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
