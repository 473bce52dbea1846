import "server-only";
import { createHash } from "node:crypto";
import { z } from "zod";
import { classifyAwsError, ConsoleAwsError } from "@/server/aws/errors";
import { filterLogEvents, logGroupArn, startLiveTail, type FilterPage, type RawLogEvent } from "@/server/aws/logs";
import { log } from "@/server/log";
import { FilterCursor, runCursor, type CursorOptions } from "./cursor";
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
  mode(mode: "live-tail" | "polling"): void;
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

// Regions where Live Tail failed to start recently: don't pay the attempt again for every new reader.
const unsupportedUntil = new Map<string, number>();
const UNSUPPORTED_TTL_MS = 15 * 60_000;
const START_TIMEOUT_MS = 5_000;

class LiveTailUnavailable extends Error {}

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

/** A stable id for a Live Tail event (it has no eventId): content hash plus its position among identical lines. */
function liveTailId(e: Omit<RawLogEvent, "id">, dup: number): string {
  return (
    "lt" + createHash("sha1").update(`${e.ts}\u0000${e.ingest}\u0000${e.stream}\u0000${e.message}\u0000${dup}`).digest("hex").slice(0, 24)
  );
}

export const contentKey = (e: Pick<RawLogEvent, "ts" | "stream" | "message">) => `${e.ts}\u0000${e.stream}\u0000${e.message}`;

async function runLiveTail(p: UpstreamParams, sink: UpstreamSink, signal: AbortSignal, onEvent: (e: RawLogEvent) => void): Promise<void> {
  const arn = await logGroupArn(p.src.region, p.src.logGroupName);
  if (!arn) throw new LiveTailUnavailable(`log group ${p.src.logGroupName} not found`);
  while (!signal.aborted) {
    const ctl = new AbortController();
    const stop = () => ctl.abort();
    signal.addEventListener("abort", stop, { once: true });
    let started = false;
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
          sink.mode("live-tail");
        } else if (m.kind === "update") {
          if (m.sampled) throw new LiveTailUnavailable("Live Tail is sampling (more than ~500 events/s)");
          const dups = new Map<string, number>();
          const batch = m.events.map((e) => {
            const k = contentKey(e);
            const n = dups.get(k) ?? 0;
            dups.set(k, n + 1);
            return { ...e, id: liveTailId(e, n) };
          });
          batch.forEach(onEvent);
          if (batch.length > 0) sink.events(batch);
        } else if (m.kind === "end") break; // sessions end after 3 h: start the next one
      }
    } catch (err) {
      if (signal.aborted) return;
      if (!started) throw new LiveTailUnavailable(err instanceof Error ? err.message : String(err), { cause: err });
      throw err;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener("abort", stop);
    }
  }
}

/** Live Tail where it works, else (or after it fails) the polling cursor, without losing or repeating lines. */
export function autoUpstream(opts: { liveTail?: boolean; poll?: Partial<CursorOptions> } = {}): Upstream {
  const useLiveTail = opts.liveTail ?? env.CONSOLE_LOGS_LIVE_TAIL === "auto";
  return async (p, sink, signal) => {
    const regionKey = `${p.src.region}|${process.env.AWS_ENDPOINT_URL ?? ""}`;
    let lastTs: number | undefined;
    const recent = new Map<string, number>(); // content key → ts, for the hand-over
    if (useLiveTail && (unsupportedUntil.get(regionKey) ?? 0) < Date.now()) {
      const startedAt = Date.now();
      try {
        await runLiveTail(p, sink, signal, (e) => {
          lastTs = Math.max(lastTs ?? e.ts, e.ts);
          recent.set(contentKey(e), e.ts);
          if (recent.size > 20_000) for (const [k, ts] of recent) if (ts < (lastTs ?? 0) - 15_000) recent.delete(k);
        });
        return;
      } catch (err) {
        if (signal.aborted) return;
        const kind = err instanceof ConsoleAwsError ? err.kind : classifyAwsError((err as { cause?: unknown }).cause ?? err).kind;
        if (err instanceof LiveTailUnavailable && kind !== "invalid") unsupportedUntil.set(regionKey, Date.now() + UNSUPPORTED_TTL_MS);
        log.info("live tail unavailable, polling FilterLogEvents instead", {
          group: p.src.logGroupName,
          detail: err instanceof Error ? err.message : String(err),
        });
      }
      // Poll from where Live Tail stopped (or from when it was tried), dropping lines it already delivered.
      const from = (lastTs ?? startedAt) - 10_000;
      const handoverTs = lastTs;
      const filtered: UpstreamSink = {
        ...sink,
        events: (batch) => {
          const out = handoverTs === undefined ? batch : batch.filter((e) => e.ts > handoverTs || !recent.has(contentKey(e)));
          if (out.length > 0) sink.events(out);
        },
      };
      return pollingUpstream({ ...opts.poll, startTime: from })(p, filtered, signal);
    }
    return pollingUpstream(opts.poll)(p, sink, signal);
  };
}
