import "server-only";
import { z } from "zod";
import { filterLogEvents, type FilterPage, type RawLogEvent } from "@/server/aws/logs";
import type { LogLine } from "@/lib/logs";
import { isLiveTailId, liveTailId } from "./line-id";
import { streamNamesFor, type ResolvedSource } from "./sources";

// Time-range queries. FilterLogEvents only reads forward (oldest first), but a viewer wants the *newest* lines of a
// range first and "load older" after. So a page is read in windows walking backwards from the end: each window is
// scanned forward completely, windows grow while they are sparse and shrink when one is too dense to scan within
// the page budget. The cursor for "load older" is the oldest line's time plus the ids already shown at that time.

export type Fetch = (q: { startTime: number; endTime: number; nextToken?: string }) => Promise<FilterPage>;

export interface HistoryPage {
  /** Oldest first. */
  lines: LogLine[];
  /** Opaque cursor for the next older page, or undefined at the start of the range. */
  older: string | undefined;
  /** FilterLogEvents calls made. */
  calls: number;
  /** True when the page budget ran out before `limit` lines were found (there may be more, older). */
  partial: boolean;
}

const cursorSchema = z.object({ e: z.number().int().min(0), x: z.array(z.string().max(160)).max(1000) });

export function encodeCursor(c: { e: number; x: string[] }): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

export function decodeCursor(raw: string): { e: number; x: string[] } | undefined {
  try {
    const parsed = cursorSchema.safeParse(JSON.parse(Buffer.from(raw, "base64url").toString("utf8")));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export const toLine = (e: RawLogEvent): LogLine => ({ id: e.id, ts: e.ts, stream: e.stream, message: e.message });

/**
 * A Fetch over a resolved source (undefined when a task source has no streams: nothing to read). Server/worker
 * history and downloads read by stream-name prefix: every task stream of a long-lived stack, not only the 100 most
 * recent ones that a list of names could hold (FilterLogEvents takes ≤ 100 names, but any number by prefix).
 */
export async function sourceFetch(src: ResolvedSource, filter: string): Promise<Fetch | undefined> {
  const byPrefix = !src.streams && src.streamPrefix ? src.streamPrefix : undefined;
  const names = byPrefix ? undefined : await streamNamesFor(src);
  if (names && names.length === 0) return undefined;
  return (q) =>
    filterLogEvents(src.region, {
      logGroupName: src.logGroupName,
      logStreamNames: names,
      logStreamNamePrefix: byPrefix,
      startTime: q.startTime,
      endTime: q.endTime,
      nextToken: q.nextToken,
      filterPattern: filter || undefined,
    });
}

export interface HistoryOptions {
  start: number;
  /** Inclusive upper bound (CloudWatch's endTime is inclusive). */
  end: number;
  limit: number;
  cursor?: { e: number; x: string[] };
  /** FilterLogEvents calls allowed for this page. */
  maxCalls?: number;
  /** Pages allowed for one window before it is split. */
  maxPagesPerWindow?: number;
  initialWindowMs?: number;
}

/** The newest `limit` lines in [start, end] (or just older than `cursor`), oldest first. */
export async function historyPage(fetch: Fetch, o: HistoryOptions): Promise<HistoryPage> {
  const maxCalls = o.maxCalls ?? 24;
  const maxPagesPerWindow = o.maxPagesPerWindow ?? 6;
  const exclude = new Set(o.cursor?.x ?? []);
  let windowEnd = o.cursor ? Math.min(o.end, o.cursor.e) : o.end;
  let width = Math.min(o.initialWindowMs ?? 60_000, Math.max(1, windowEnd - o.start + 1));
  let calls = 0;
  let collected: RawLogEvent[] = [];
  let partial = false;

  while (windowEnd >= o.start && collected.length < o.limit) {
    const windowStart = Math.max(o.start, windowEnd - width + 1);
    const got: RawLogEvent[] = [];
    let token: string | undefined;
    let pages = 0;
    let tooDense = false;
    do {
      if (calls >= maxCalls) break;
      const page = await fetch({ startTime: windowStart, endTime: windowEnd, ...(token ? { nextToken: token } : {}) });
      calls += 1;
      pages += 1;
      got.push(...page.events);
      token = page.nextToken;
      // Too dense: re-read a narrower window (down to 1 s, which is then read to the end within the call budget).
      if (token && pages >= maxPagesPerWindow && width > 1_000) tooDense = true;
    } while (token && !tooDense);
    if (token && calls >= maxCalls && !tooDense) {
      // Out of budget inside a window: what we have is its *oldest* part — keep nothing from it and stop here.
      partial = true;
      break;
    }
    if (tooDense) {
      width = Math.max(1_000, Math.floor(width / 8));
      continue; // re-read a narrower window ending at the same point
    }
    const fresh = got.filter((e) => !(e.ts === o.cursor?.e && exclude.has(e.id)) && e.ts <= windowEnd && e.ts >= windowStart);
    fresh.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    collected = [...fresh, ...collected];
    windowEnd = windowStart - 1;
    if (fresh.length < o.limit / 4) width *= 4; // sparse: look further back in one go
    if (calls >= maxCalls && windowEnd >= o.start && collected.length < o.limit) {
      partial = true;
      break;
    }
  }

  const lines = collected.slice(-o.limit);
  let older: string | undefined;
  if (collected.length > lines.length || partial || (windowEnd >= o.start && lines.length > 0)) {
    const oldest = lines[0];
    if (oldest) {
      const x = lines.filter((l) => l.ts === oldest.ts).map((l) => l.id);
      // Lines at that same ms shown by earlier pages stay excluded too.
      if (o.cursor && o.cursor.e === oldest.ts) x.push(...o.cursor.x);
      // If we dropped lines at that same ms (over the limit), they are *not* in x, so the next page returns them.
      older = encodeCursor({ e: oldest.ts, x });
    } else if (windowEnd >= o.start) older = encodeCursor({ e: windowEnd, x: [] });
  }
  return { lines: lines.map(toLine), older, calls, partial };
}

/**
 * Whether a line is at or before a known point (ts, id). Within the same millisecond, CloudWatch event ids are
 * ordered numbers of equal length, so "≤ that id" was delivered before. Live Tail lines are delivered in (ts, id)
 * order too, and a CloudWatch event read back after them gets the id Live Tail gave it (same time, stream, text).
 */
export function atOrBefore(e: { ts: number; id: string; stream?: string; message?: string }, point: { ts: number; id?: string }): boolean {
  if (e.ts !== point.ts) return e.ts < point.ts;
  if (point.id === undefined) return false;
  const id =
    isLiveTailId(point.id) && !isLiveTailId(e.id) && e.stream !== undefined && e.message !== undefined
      ? liveTailId({ ts: e.ts, stream: e.stream, message: e.message })
      : e.id;
  return id === point.id || (id.length === point.id.length && id < point.id);
}

/**
 * Lines after a known point (for a reconnecting viewer the shared reader no longer remembers), oldest first.
 * Skips lines at or before (ts, id); stops after `maxLines` / `maxCalls` and says so.
 */
export async function linesAfter(
  fetch: Fetch,
  o: { ts: number; id?: string; until: number; maxLines?: number; maxCalls?: number },
): Promise<{ lines: LogLine[]; complete: boolean; atPoint: LogLine[] }> {
  const maxLines = o.maxLines ?? 20_000;
  // Lines at the point's very millisecond that count as delivered: a caller comparing them with lines from another
  // upstream (Live Tail ids vs eventIds) can recognise them by content.
  const atPoint: RawLogEvent[] = [];
  const maxCalls = o.maxCalls ?? 10;
  const out: RawLogEvent[] = [];
  let token: string | undefined;
  let calls = 0;
  do {
    const page = await fetch({ startTime: o.ts, endTime: o.until, ...(token ? { nextToken: token } : {}) });
    calls += 1;
    for (const e of page.events) {
      if (!atOrBefore(e, o)) out.push(e);
      else if (e.ts === o.ts) atPoint.push(e);
    }
    token = page.nextToken;
  } while (token && calls < maxCalls && out.length < maxLines);
  out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { lines: out.slice(0, maxLines).map(toLine), complete: !token && out.length <= maxLines, atPoint: atPoint.map(toLine) };
}

/** Every line in [start, end], oldest first, page by page (for downloads). Stops after maxLines. */
export async function* scanRange(fetch: Fetch, o: { start: number; end: number; maxLines: number }): AsyncGenerator<LogLine[]> {
  let token: string | undefined;
  let n = 0;
  do {
    const page = await fetch({ startTime: o.start, endTime: o.end, ...(token ? { nextToken: token } : {}) });
    token = page.nextToken;
    const lines = page.events.slice(0, o.maxLines - n).map(toLine);
    n += lines.length;
    if (lines.length > 0) yield lines;
  } while (token && n < o.maxLines);
}
