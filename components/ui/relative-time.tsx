"use client";
import { formatAbsolute, formatRelative } from "@/lib/format";
import { useNow } from "@/lib/use-now";

/** "3m ago", with the absolute UTC time on hover; re-renders every 15 s. */
export function RelativeTime({ ms }: { ms: number }) {
  const now = useNow();
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatAbsolute(ms)} className="whitespace-nowrap">
      {now === null ? formatAbsolute(ms) : formatRelative(ms, now)}
    </time>
  );
}
