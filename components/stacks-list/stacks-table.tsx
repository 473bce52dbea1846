import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge, type Tone } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import { HealthSummary } from "@/components/stack/health-summary";
import type { StackHealthSummary } from "@/lib/ops/health-types";

export interface StackRow {
  env: string;
  region: string;
  status: string;
  adopted: boolean;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
  activeRunId: string | null;
}

const tone: Record<string, Tone> = {
  ready: "ok",
  provisioning: "pending",
  destroying: "pending",
  degraded: "failed",
  failed: "failed",
  draft: "neutral",
};

export function StacksTable({ stacks, health }: { stacks: StackRow[]; health: Record<string, StackHealthSummary> }) {
  return (
    <Table aria-label="Stacks">
      <thead>
        <tr>
          <Th>Environment</Th>
          <Th>State</Th>
          <Th>Health</Th>
          <Th>Region</Th>
          <Th>Created</Th>
          <Th>Last change</Th>
          <Th className="sr-only">Actions</Th>
        </tr>
      </thead>
      <tbody>
        {stacks.map((s) => (
          <tr key={s.env}>
            <Td>
              <Link href={`/stacks/${s.env}`} className="font-medium text-primary hover:underline">
                {s.env}
              </Link>
              {s.adopted ? <span className="ml-2 text-xs text-muted-foreground">adopted</span> : null}
            </Td>
            <Td>
              <StatusBadge tone={tone[s.status] ?? "neutral"} label={s.status} />
            </Td>
            <Td>
              <HealthSummary health={health[s.env]} />
            </Td>
            <Td className="font-mono text-xs">{s.region}</Td>
            <Td>
              <RelativeTime ms={s.createdAt} /> <span className="text-xs text-muted-foreground">by {s.createdBy}</span>
            </Td>
            <Td>
              <RelativeTime ms={s.updatedAt} />
            </Td>
            <Td className="text-right">
              {s.activeRunId ? (
                <Link href={`/stacks/${s.env}/runs/${s.activeRunId}`} className="text-xs text-primary hover:underline">
                  Follow run
                </Link>
              ) : null}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
