"use client";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useLayoutEffect, useRef, useState } from "react";
import type { LogLine } from "@/lib/logs";
import { LogRow } from "./log-row";

const ROW_PX = 18;

// The virtualised list: only the rows in view (plus a few) exist in the DOM, so 50,000 lines scroll like 50.
// Follow mode keeps the bottom in view; scrolling up leaves follow mode (the toolbar offers to jump back).

export function LogList({
  lines,
  version,
  zone,
  highlight,
  follow,
  onFollowChange,
  markTs,
  onOpenTask,
  header,
}: {
  lines: readonly LogLine[];
  version: number;
  zone: "utc" | "local";
  highlight: string;
  follow: boolean;
  onFollowChange: (follow: boolean) => void;
  /** A moment to point at (`?at=`): the first line at or after it is marked and scrolled to. */
  markTs?: number;
  onOpenTask?: (taskId: string) => void;
  header?: React.ReactNode;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const programmatic = useRef(false);
  const count = lines.length;

  // Collapsed rows are exactly ROW_PX tall and never measured (measuring every row forces a layout per row per
  // render); only expanded rows are measured, under their own key so a collapsed row never inherits their height.
  // The key function changes with `version`, so keys follow the lines when the cap drops the oldest ones.
  const getItemKey = useCallback(
    (i: number) => {
      const id = lines[i]?.id;
      if (id === undefined) return i;
      return expanded.has(id) ? `${id}:open` : id;
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `lines` is mutated in place; `version` tracks it
    [lines, expanded, version],
  );
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_PX,
    overscan: 12,
    getItemKey,
  });

  // Follow: after each render with new lines, stick to the bottom.
  useLayoutEffect(() => {
    if (!follow || count === 0) return;
    const el = scrollRef.current;
    if (!el) return;
    programmatic.current = true;
    // Row heights are known (fixed unless expanded), so the bottom is simply the end of the scroll area.
    el.scrollTop = el.scrollHeight;
  }, [follow, version, count]);

  // Deep link to a moment: scroll to the first line at/after it, once lines are there.
  const markIndex = markTs === undefined ? -1 : lines.findIndex((l) => l.ts >= markTs);
  const markedId = markIndex >= 0 ? lines[markIndex]?.id : undefined;
  const scrolledToMark = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (markIndex < 0 || !markedId || scrolledToMark.current === markedId) return;
    scrolledToMark.current = markedId;
    virtualizer.scrollToIndex(markIndex, { align: "center" });
  }, [markIndex, markedId, virtualizer]);

  const onScroll = useCallback(() => {
    const el = scrollRef.current;
    if (!el) return;
    const atBottom = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
    if (programmatic.current) {
      programmatic.current = false;
      return;
    }
    if (follow && !atBottom) onFollowChange(false);
    else if (!follow && atBottom && count > 0) onFollowChange(true);
  }, [follow, onFollowChange, count]);

  const toggle = useCallback((id: string) => {
    setExpanded((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }, []);

  return (
    <div
      ref={scrollRef}
      onScroll={onScroll}
      role="log"
      aria-label="Log lines"
      aria-live="off"
      tabIndex={0}
      className="min-h-0 flex-1 overflow-auto bg-card [overflow-anchor:none]"
    >
      {header}
      <div style={{ height: virtualizer.getTotalSize(), position: "relative", width: "100%" }}>
        {virtualizer.getVirtualItems().map((item) => {
          const line = lines[item.index];
          if (!line) return null;
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={expanded.has(line.id) ? virtualizer.measureElement : undefined}
              style={{
                position: "absolute",
                top: 0,
                left: 0,
                width: "100%",
                height: expanded.has(line.id) ? undefined : ROW_PX,
                transform: `translateY(${item.start}px)`,
              }}
            >
              <LogRow
                line={line}
                zone={zone}
                highlight={highlight}
                expanded={expanded.has(line.id)}
                marked={line.id === markedId}
                onToggle={toggle}
                onOpenTask={onOpenTask}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
