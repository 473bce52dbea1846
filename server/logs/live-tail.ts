import "server-only";
import { z } from "zod";
import { classifyAwsError, ConsoleAwsError } from "@/server/aws/errors";
import { filterLogEvents, logGroupArn, startLiveTail, type FilterPage, type RawLogEvent } from "@/server/aws/logs";
import { log } from "@/server/log";
import { FilterCursor, runCursor, type CursorOptions } from "./cursor";
import { linesAfter, sourceFetch } from "./history";
import { contentKey, liveTailId } from "./line-id";
import { streamNamesFor, type ResolvedSource } from "./sources";

// The upstream readers a shared reader can run. `autoUpstream` prefers CloudWatch Live Tail (pushed, ~1 update/s,
// no polling) and falls back to the FilterLogEvents cursor when Live Tail is unavailable (not implemented by the
// endpoint, not allowed by IAM, over the 15-session quota), fails mid-session, or starts *sampling* (> ~500 events/s:
// a log viewer must not silently drop lines, and the cursor reads them all).

export interface UpstreamParams {
  src: ResolvedSource;
  /** CloudWatch filter pattern, passed through unchanged ("" = everything). */
  filter: string;
}

export interface UpstreamSink {
  events(batch: RawLogEvent[]): void;
  status(message: string | undefined): void;
  /** How CloudWatch is read; `notice` says why it is polled when Live Tail was wanted (shown in the viewer). */
  mode(mode: "live-tail" | "polling", notice?: string): void;
}

/** Runs until the signal aborts (resolves) or a terminal error (rejects, e.g. a malformed filter pattern). */
export type Upstream = (p: UpstreamParams, sink: UpstreamSink, signal: AbortSignal) => Promise<void>;

const env = z
  .object({
    CONSOLE_LOGS_LIVE_TAIL: z.enum(["auto", "off"]).default("auto"),
    CONSOLE_LOGS_POLL_MS: z.coerce.number().int().min(200).max(60_000).default(1_000),
  })
  .parse({
    CONSOLE_LOGS_LIVE_TAIL: process.env.CONSOLE_LOGS_LIVE_TAIL || undefined,
    CONSOLE_LOGS_POLL_MS: process.env.CONSOLE_LOGS_POLL_MS || undefined,
  });

const STREAM_REFRESH_MS = 30_000;

/** FilterLogEvents polling, with the stream list of prefix sources refreshed every 30 s (new tasks appear). */
export function pollingUpstream(opts: Partial<CursorOptions> & { lookbackMs?: number } = {}): Upstream {
  return async (p, sink, signal) => {
    sink.mode("polling");
    let names: string[] | undefined;
    let refreshedAt = Number.NEGATIVE_INFINITY;
    const fetchPage = async (q: { startTime: number; nextToken?: string }): Promise<FilterPage> => {
      // A nextToken belongs to the exact query that made it: refresh names only between scans.
      if (!q.nextToken && Date.now() - refreshedAt > STREAM_REFRESH_MS) {
        names = await streamNamesFor(p.src);
        refreshedAt = Date.now();
      }
      // No matching stream yet (e.g. no worker task started): nothing to ask CloudWatch. An empty list must not be
      // sent either — FilterLogEvents would read the whole group.
      if (names && names.length === 0) return { events: [], nextToken: undefined };
      return filterLogEvents(p.src.region, {
        logGroupName: p.src.logGroupName,
        logStreamNames: names,
        startTime: q.startTime,
        nextToken: q.nextToken,
        filterPattern: p.filter || undefined,
      });
    };
    const cursor = new FilterCursor(fetchPage, {
      intervalMs: env.CONSOLE_LOGS_POLL_MS,
      ...opts,
      startTime: opts.startTime ?? Date.now() - (opts.lookbackMs ?? 10_000),
    });
    await runCursor(cursor, sink, signal);
  };
}

// Regions where Live Tail failed to start recently: don't pay the attempt again for every new reader. A full session
// quota is a passing state (another reader stops), so it is remembered for a minute, not fifteen.
const unsupported = new Map<string, { until: number; notice: string }>();
const UNSUPPORTED_TTL_MS = 15 * 60_000;
const QUOTA_TTL_MS = 60_000;
const START_TIMEOUT_MS = 5_000;
/** Sessions that fail mid-stream are restarted, at most this many times in RESTART_WINDOW_MS, then polling takes over. */
const MAX_RESTARTS = 3;
const RESTART_WINDOW_MS = 5 * 60_000;
/** A new session back-fills the gap since the last line seen, from this much earlier (late ingestion). */
const GAP_LOOKBACK_MS = 10_000;

/** What the viewer is told when the reader polls although Live Tail was wanted (one home for these texts). */
export const LIVE_TAIL_NOTICES = {
  quota:
    "CloudWatch Live Tail is at its limit of 15 concurrent sessions for this account, so this source is polled with FilterLogEvents (lines arrive about a second later).",
  sampling:
    "More than ~500 matching lines a second: Live Tail would sample them, so this source is polled with FilterLogEvents instead and no line is skipped.",
  denied: "The console may not call logs:StartLiveTail, so this source is polled with FilterLogEvents.",
  unavailable: (detail: string) => `CloudWatch Live Tail is unavailable (${detail}), so this source is polled with FilterLogEvents.`,
} as const;

type FallbackReason = "quota" | "sampling" | "denied" | "unavailable" | "invalid";

class LiveTailUnavailable extends Error {
  constructor(
    message: string,
    readonly reason: FallbackReason,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Iterates until the signal aborts, even if the underlying stream never notices the abort. */
async function* untilAborted<T>(source: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const aborted = new Promise<"aborted">((resolve) => {
    if (signal.aborted) resolve("aborted");
    signal.addEventListener("abort", () => resolve("aborted"), { once: true });
  });
  try {
    for (;;) {
      const r = await Promise.race([it.next(), aborted]);
      if (r === "aborted" || r.done) return;
      yield r.value;
    }
  } finally {
    void it.return?.()?.catch(() => undefined);
  }
}

function reasonOf(err: unknown): FallbackReason {
  const kind = err instanceof ConsoleAwsError ? err.kind : classifyAwsError((err as { cause?: unknown }).cause ?? err).kind;
  return kind === "quota" ? "quota" : kind === "access-denied" ? "denied" : kind === "invalid" ? "invalid" : "unavailable";
}

/** Lines this reader delivered recently, by content (Live Tail has no event ids): for hand-overs without repeats. */
class Delivered {
  private readonly keys = new Map<string, number>();
  lastTs: number | undefined;

  has(e: Pick<RawLogEvent, "ts" | "stream" | "message">): boolean {
    return this.keys.has(contentKey(e));
  }

  add(e: RawLogEvent): void {
    this.lastTs = Math.max(this.lastTs ?? e.ts, e.ts);
    this.keys.set(contentKey(e), e.ts);
    if (this.keys.size > 20_000) for (const [k, ts] of this.keys) if (ts < this.lastTs - 3 * GAP_LOOKBACK_MS) this.keys.delete(k);
  }
}

/** Live Tail events → lines with stable ids, in (time, id) order, minus any already delivered. */
function toLines(events: Omit<RawLogEvent, "id">[], delivered: Delivered): RawLogEvent[] {
  const dups = new Map<string, number>();
  const out: RawLogEvent[] = [];
  for (const e of events) {
    const k = contentKey(e);
    const n = dups.get(k) ?? 0;
    dups.set(k, n + 1);
    if (n === 0 && delivered.has(e)) continue;
    out.push({ ...e, id: liveTailId(e, n) });
  }
  return out.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The lines written while no session was open (FilterLogEvents from `from` to now), minus those already delivered. */
async function backfillGap(p: UpstreamParams, from: number, delivered: Delivered): Promise<RawLogEvent[]> {
  const fetch = await sourceFetch(p.src, p.filter);
  if (!fetch) return [];
  const r = await linesAfter(fetch, { ts: from, until: Date.now() });
  if (!r.complete) log.warn("live tail: the gap between sessions was larger than one back-fill", { group: p.src.logGroupName });
  return toLines(
    r.lines.map((l) => ({ ts: l.ts, ingest: l.ts, stream: l.stream, message: l.message })),
    delivered,
  );
}

/**
 * Live Tail sessions, one after another, until the signal aborts. A session CloudWatch ends (3 hours) or that fails
 * mid-stream is followed by a new one whose start back-fills the gap with FilterLogEvents. Throws
 * LiveTailUnavailable when a session cannot start, when CloudWatch starts sampling, or after too many restarts.
 */
async function runLiveTail(p: UpstreamParams, sink: UpstreamSink, signal: AbortSignal, delivered: Delivered): Promise<void> {
  const arn = await logGroupArn(p.src.region, p.src.logGroupName);
  if (!arn) throw new LiveTailUnavailable(`log group ${p.src.logGroupName} not found`, "unavailable");
  const deliver = (batch: RawLogEvent[]) => {
    batch.forEach((e) => delivered.add(e));
    if (batch.length > 0) sink.events(batch);
  };
  // A session only carries what is ingested after it starts: the first one back-fills from when the reader was asked
  // for (a viewer resuming from a line id relies on that), later ones from the last line seen.
  let gapFrom: number | undefined = Date.now() - GAP_LOOKBACK_MS;
  const restarts: number[] = [];
  // Sessions that end (normally after 3 h) or fail are replaced, but never in a tight loop.
  const restartOrGiveUp = (detail: string, cause?: unknown) => {
    const now = Date.now();
    restarts.push(now);
    while (restarts.length > 0 && restarts[0]! < now - RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length > MAX_RESTARTS)
      throw new LiveTailUnavailable(`Live Tail sessions keep ending: ${detail}`, "unavailable", { cause });
  };
  while (!signal.aborted) {
    const ctl = new AbortController();
    const stop = () => ctl.abort();
    signal.addEventListener("abort", stop, { once: true });
    let started = false;
    const startedAt = Date.now();
    const timer = setTimeout(() => {
      if (!started) ctl.abort();
    }, START_TIMEOUT_MS);
    try {
      const session = startLiveTail(
        p.src.region,
        {
          logGroupArn: arn,
          logStreamNames: p.src.streams,
          logStreamNamePrefixes: p.src.streamPrefix ? [p.src.streamPrefix] : undefined,
          filterPattern: p.filter || undefined,
        },
        ctl.signal,
      );
      for await (const m of untilAborted(session, ctl.signal)) {
        if (m.kind === "start") {
          started = true;
          // Lines written before this start (since the reader began or the previous session ended): read them
          // before this session's own.
          if (gapFrom !== undefined) deliver(await backfillGap(p, gapFrom, delivered));
          gapFrom = undefined;
          sink.mode("live-tail");
        } else if (m.kind === "update") {
          if (m.sampled) throw new LiveTailUnavailable("Live Tail is sampling (more than ~500 events/s)", "sampling");
          deliver(toLines(m.events, delivered));
        } else if (m.kind === "end") break; // sessions end after 3 h: start the next one
      }
      if (signal.aborted) return;
      if (!started) throw new LiveTailUnavailable("the Live Tail stream ended before its session started", "unavailable");
      restartOrGiveUp("ended");
      log.info("live tail session ended; starting the next one", { group: p.src.logGroupName });
    } catch (err) {
      if (signal.aborted) return;
      if (err instanceof LiveTailUnavailable) throw err;
      const detail = err instanceof Error ? err.message : String(err);
      if (!started) throw new LiveTailUnavailable(detail, reasonOf(err), { cause: err });
      restartOrGiveUp(detail, err);
      log.info("live tail session failed mid-stream; starting a new one", { group: p.src.logGroupName, detail });
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
    }
    gapFrom = (delivered.lastTs ?? startedAt) - GAP_LOOKBACK_MS;
  }
}

/** Live Tail where it works, else (or after it fails) the polling cursor, without losing or repeating lines. */
export function autoUpstream(opts: { liveTail?: boolean; poll?: Partial<CursorOptions> } = {}): Upstream {
  const useLiveTail = opts.liveTail ?? env.CONSOLE_LOGS_LIVE_TAIL === "auto";
  return async (p, sink, signal) => {
    if (!useLiveTail) return pollingUpstream(opts.poll)(p, sink, signal);
    const regionKey = `${p.src.region}|${process.env.AWS_ENDPOINT_URL ?? ""}`;
    const known = unsupported.get(regionKey);
    if (known && known.until > Date.now()) {
      const polling: UpstreamSink = { ...sink, mode: (mode) => sink.mode(mode, known.notice) };
      return pollingUpstream(opts.poll)(p, polling, signal);
    }
    const delivered = new Delivered();
    const startedAt = Date.now();
    let notice: string;
    try {
      await runLiveTail(p, sink, signal, delivered);
      return;
    } catch (err) {
      if (signal.aborted) return;
      const reason: FallbackReason = err instanceof LiveTailUnavailable ? err.reason : reasonOf(err);
      const detail = err instanceof Error ? err.message : String(err);
      notice =
        reason === "quota"
          ? LIVE_TAIL_NOTICES.quota
          : reason === "sampling"
            ? LIVE_TAIL_NOTICES.sampling
            : reason === "denied"
              ? LIVE_TAIL_NOTICES.denied
              : LIVE_TAIL_NOTICES.unavailable(detail);
      // A bad filter pattern is the user's to fix (polling reports it); sampling is this source's volume, not the region.
      if (reason === "quota") unsupported.set(regionKey, { until: Date.now() + QUOTA_TTL_MS, notice });
      else if (reason === "unavailable" || reason === "denied")
        unsupported.set(regionKey, { until: Date.now() + UNSUPPORTED_TTL_MS, notice });
      log.info("live tail unavailable, polling FilterLogEvents instead", { group: p.src.logGroupName, reason, detail });
    }
    // Poll from where Live Tail stopped (or from when it was tried), dropping lines it already delivered.
    const from = (delivered.lastTs ?? startedAt) - GAP_LOOKBACK_MS;
    const handoverTs = delivered.lastTs;
    const handover: UpstreamSink = {
      events: (batch) => {
        const out = handoverTs === undefined ? batch : batch.filter((e) => e.ts > handoverTs || !delivered.has(e));
        if (out.length > 0) sink.events(out);
      },
      status: sink.status,
      mode: (mode) => sink.mode(mode, notice),
    };
    return pollingUpstream({ ...opts.poll, startTime: from })(p, handover, signal);
  };
}
