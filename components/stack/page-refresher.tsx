"use client";
import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";

/** Re-renders a server page every `seconds` (visible, pausable; paused while the tab is hidden). */
export function PageRefresher({ seconds }: { seconds: number }) {
  const router = useRouter();
  const [paused, setPaused] = useState(false);
  useEffect(() => {
    if (paused) return;
    const t = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, seconds * 1000);
    return () => clearInterval(t);
  }, [paused, seconds, router]);
  return (
    <span className="flex items-center gap-2 text-xs text-muted-foreground">
      {paused ? "auto-refresh paused" : `refreshes every ${seconds} s`}
      <Button size="sm" variant="outline" onClick={() => setPaused(!paused)} aria-pressed={paused}>
        {paused ? "Resume" : "Pause"}
      </Button>
    </span>
  );
}
