import type { CostEstimate } from "@/lib/cost";
import { Card, CardBody, CardHeader } from "@/components/ui/card";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The monthly estimate with its lines and assumptions (lib/cost.ts). */
export function CostCard({ cost, className }: { cost: CostEstimate; className?: string }) {
  return (
    <Card className={className} aria-label="Monthly cost estimate">
      <CardHeader
        title="Monthly cost estimate"
        description={`On-demand, ${cost.region}`}
        actions={
          <span className="text-lg font-semibold tabular-nums" data-testid="cost-total">
            {usd(cost.total)}
          </span>
        }
      />
      <CardBody className="grid gap-2 text-sm">
        <table className="w-full">
          <tbody>
            {cost.lines.map((l) => (
              <tr key={l.key} className="align-top">
                <td className="py-0.5 pr-2">
                  {l.label}
                  <div className="text-xs text-muted-foreground">{l.detail}</div>
                </td>
                <td className="py-0.5 text-right tabular-nums">{usd(l.monthly)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="text-xs text-muted-foreground">
          The seed&apos;s walkthrough (server + database + load balancer) comes to{" "}
          <span className="tabular-nums">{usd(cost.seedComparable)}</span> of this.
        </p>
        <details className="text-xs text-muted-foreground">
          <summary className="cursor-pointer">Assumptions</summary>
          <ul className="mt-1 list-disc pl-4">
            {cost.assumptions.map((a) => (
              <li key={a}>{a}</li>
            ))}
          </ul>
        </details>
      </CardBody>
    </Card>
  );
}
