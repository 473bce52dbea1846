import Link from "next/link";
import { RelativeTime } from "@/components/ui/relative-time";
import { StatusBadge } from "@/components/ui/status-badge";
import type { TimelineEntry } from "@/lib/ops/timeline-merge";
import { logsAt } from "./alarms-panel";

const KIND_LABEL: Record<TimelineEntry["kind"], string> = {
  "service-event": "service event",
  deployment: "deployment",
  scaling: "auto scaling",
  alarm: "alarm",
  audit: "console action",
};

export function TimelineList({ env, entries }: { env: string; entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="text-sm text-muted-foreground">Nothing happened in this period.</p>;
  return (
    <ol className="grid gap-0" aria-label="Timeline">
      {entries.map((e) => (
        <li
          key={e.key}
          data-testid="timeline-entry"
          data-kind={e.kind}
          className="grid grid-cols-[7.5rem_8.5rem_1fr] gap-3 border-b py-2 text-sm last:border-b-0"
        >
          <span className="text-xs text-muted-foreground">
            <RelativeTime ms={e.at} />
          </span>
          <span>
            <StatusBadge tone={e.tone} label={KIND_LABEL[e.kind]} />
          </span>
          <span className="min-w-0">
            <span className="font-mono text-xs text-muted-foreground">{e.source}</span> {e.title}
            {e.detail ? <span className="block text-xs text-muted-foreground">{e.detail}</span> : null}
            {e.kind === "alarm" ? (
              <Link href={logsAt(env, e.at)} className="ml-1 text-xs text-primary hover:underline">
                logs then
              </Link>
            ) : null}
          </span>
        </li>
      ))}
    </ol>
  );
}
