"use client";
import { useEffect, useState } from "react";
import { formatAbsolute, formatRelative } from "@/lib/format";

/** "3m ago", with the absolute UTC time on hover; re-renders every 15 s. */
export function RelativeTime({ ms }: { ms: number }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, []);
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatAbsolute(ms)} className="whitespace-nowrap">
      {now === null ? formatAbsolute(ms) : formatRelative(ms, now)}
    </time>
  );
}
