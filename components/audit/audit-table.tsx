import { ScrollText } from "lucide-react";
import { EmptyState } from "@/components/ui/empty-state";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { AuditEvent } from "@/lib/audit";

const toneOf = { ok: "ok", error: "failed", denied: "pending" } as const;

export function AuditTable({ events }: { events: AuditEvent[] }) {
  if (!events.length)
    return (
      <EmptyState icon={<ScrollText />} title="No audit events match">
        Changes made through the console (sign-ins, user changes, provisioning, scaling) appear here.
      </EmptyState>
    );
  return (
    <div className="rounded-lg border bg-card">
      <Table aria-label="Audit events">
        <thead>
          <tr>
            <Th>When</Th>
            <Th>Who</Th>
            <Th>Action</Th>
            <Th>Target</Th>
            <Th>Outcome</Th>
            <Th>Parameters</Th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <Td className="text-muted-foreground">
                <RelativeTime ms={e.at} />
              </Td>
              <Td>{e.actorEmail}</Td>
              <Td className="font-mono text-xs">{e.action}</Td>
              <Td className="font-mono text-xs">{e.target}</Td>
              <Td>
                <StatusBadge tone={toneOf[e.outcome]} label={e.outcome} />
                {e.message ? <p className="mt-1 max-w-xs text-xs text-muted-foreground">{e.message}</p> : null}
              </Td>
              <Td className="max-w-sm">
                {Object.keys(e.params).length ? (
                  <code className="block truncate text-xs text-muted-foreground" title={JSON.stringify(e.params)}>
                    {JSON.stringify(e.params)}
                  </code>
                ) : (
                  <span className="text-muted-foreground">—</span>
                )}
              </Td>
            </tr>
          ))}
        </tbody>
      </Table>
    </div>
  );
}
