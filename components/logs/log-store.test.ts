import { describe, expect, it, vi } from "vitest";
import type { LogLine } from "@/lib/logs";
import { LogStore } from "./log-store";

const mk = (n: number, from = 0): LogLine[] =>
  Array.from({ length: n }, (_, i) => ({ id: String(from + i), ts: from + i, stream: "s", message: `m${from + i}` }));

describe("LogStore (the viewer's bounded buffer)", () => {
  it("applies queued lines in one batch and notifies once", () => {
    const s = new LogStore(100);
    const spy = vi.fn();
    s.subscribe(spy);
    s.append(mk(3));
    s.append(mk(2, 3));
    expect(s.getSnapshot().lines).toHaveLength(0); // not before the next frame
    s.flush();
    expect(s.getSnapshot().lines.map((l) => l.id)).toEqual(["0", "1", "2", "3", "4"]);
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it("keeps at most `cap` lines, dropping the oldest and counting them", () => {
    const s = new LogStore(1_000);
    for (let i = 0; i < 5; i++) {
      s.append(mk(700, i * 700));
      s.flush();
    }
    const snap = s.getSnapshot();
    expect(snap.lines).toHaveLength(1_000);
    expect(snap.dropped).toBe(2_500);
    expect(snap.lines[0]!.id).toBe("2500");
    expect(snap.lines[999]!.id).toBe("3499");
  });

  it("holds new lines while paused and shows how many, then appends them on resume", () => {
    const s = new LogStore(100);
    s.reset(mk(2));
    s.setPaused(true);
    s.append(mk(5, 2));
    s.flush();
    expect(s.getSnapshot()).toMatchObject({ paused: true, held: 5 });
    expect(s.getSnapshot().lines).toHaveLength(2);
    s.setPaused(false);
    expect(s.getSnapshot()).toMatchObject({ paused: false, held: 0 });
    expect(s.getSnapshot().lines).toHaveLength(7);
  });

  it("never shows a line twice (a resumed stream may repeat one) and prepends older pages", () => {
    const s = new LogStore(100);
    s.reset(mk(3, 10));
    s.append([...mk(2, 12), ...mk(1, 13)]);
    s.flush();
    expect(s.getSnapshot().lines.map((l) => l.id)).toEqual(["10", "11", "12", "13"]);
    expect(s.prepend(mk(3, 7))).toBe(3);
    expect(s.getSnapshot().lines.map((l) => l.id)).toEqual(["7", "8", "9", "10", "11", "12", "13"]);
  });
});
