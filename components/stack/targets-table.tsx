import { StatusBadge } from "@/components/ui/status-badge";
import { Table, Td, Th } from "@/components/ui/table";
import type { TargetDto } from "@/lib/ops/types";

export function TargetsTable({ targets }: { targets: TargetDto[] }) {
  if (targets.length === 0)
    return <p className="text-sm text-muted-foreground">No targets registered: the load balancer has nothing to send requests to.</p>;
  return (
    <Table aria-label="Target health">
      <thead>
        <tr>
          <Th>Target</Th>
          <Th>Port</Th>
          <Th>State</Th>
          <Th>Reason</Th>
        </tr>
      </thead>
      <tbody>
        {targets.map((t) => (
          <tr key={`${t.id}:${t.port}`} data-testid="target-row">
            <Td className="font-mono text-xs">{t.id}</Td>
            <Td className="text-xs">{t.port ?? "—"}</Td>
            <Td>
              <StatusBadge state={t.state} tone={t.state === "healthy" ? "ok" : t.state === "unhealthy" ? "failed" : "pending"} />
            </Td>
            <Td className="text-xs text-muted-foreground">{t.description ?? t.reason ?? "—"}</Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
