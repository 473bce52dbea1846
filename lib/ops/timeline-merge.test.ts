import { describe, expect, it } from "vitest";
import { mergeTimeline, type TimelineEntry } from "./timeline-merge";

const e = (key: string, at: number, kind: TimelineEntry["kind"] = "service-event"): TimelineEntry => ({
  key,
  at,
  kind,
  source: "s",
  title: key,
  detail: null,
  tone: "neutral",
});

describe("mergeTimeline", () => {
  it("merges sources newest first, drops duplicates and entries before `since`", () => {
    const events = [e("ev1", 100), e("ev2", 300)];
    const alarms = [e("a1", 200, "alarm"), e("ev2", 300)];
    const audit = [e("u1", 250, "audit"), e("old", 5, "audit")];
    expect(mergeTimeline([events, alarms, audit], 10, 50).map((x) => x.key)).toEqual(["ev2", "u1", "a1", "ev1"]);
  });
  it("orders ties stably by kind and key, and applies the limit", () => {
    const out = mergeTimeline([[e("b", 10, "scaling"), e("a", 10, "scaling"), e("c", 10, "alarm")]], 2);
    expect(out.map((x) => x.key)).toEqual(["c", "a"]);
  });
});
