import "server-only";
import { ConsoleAwsError, classifyAwsError } from "@/server/aws/errors";
import type { FilterPage, RawLogEvent } from "@/server/aws/logs";

// The polling upstream: FilterLogEvents with a moving start time — what `aws logs tail --follow` does, done carefully.
//
// - One call per step; steps are ~1 s apart (pages of one scan ~200 ms apart), so one reader stays far below the
//   ~10 TPS account-wide FilterLogEvents quota however many browsers watch it (the registry shares readers).
// - Each scan starts `lookbackMs` before the newest event seen (not before *our* clock): late ingestion and producers
//   whose clocks lag are re-scanned; a console clock that runs ahead or behind AWS doesn't skip or stall anything.
//   Re-scanned events are dropped by eventId (`seen`, pruned to the scan window, so memory stays bounded).
// - A scan follows nextToken to the end; CloudWatch may return empty pages *with* a token (it searches chunk by
//   chunk), which are followed, not mistaken for "caught up".
// - Throttling / 5xx / network errors back off exponentially (with jitter, capped) and retry the same page;
//   invalid input (a malformed filter pattern) and access denied are terminal and reported as such.

export type FetchPage = (q: { startTime: number; nextToken?: string }) => Promise<FilterPage>;

export interface CursorOptions {
  /** Where the first scan starts (epoch ms). */
  startTime: number;
  /** Pause between scans. */
  intervalMs?: number;
  /** Pause between pages of one scan. */
  pageIntervalMs?: number;
  /** How far behind the newest event each scan starts again. */
  lookbackMs?: number;
  /** Once caught up, never scan from further back than now − maxLagMs (bounds the cost of a quiet stream). */
  maxLagMs?: number;
  /** Backoff cap for throttling and transient errors. */
  maxBackoffMs?: number;
  now?: () => number;
  random?: () => number;
}

export interface StepResult {
  /** Events not delivered before, in timestamp order. */
  events: RawLogEvent[];
  /** True while the current scan has more pages. */
  more: boolean;
}

export type StepFailure =
  { terminal: true; message: string; kind: string } | { terminal: false; message: string; kind: string; retryInMs: number };

export class FilterCursor {
  private scanStart: number;
  private token: string | undefined;
  private newestTs: number | undefined;
  private readonly seen = new Map<string, number>();
  private failures = 0;
  readonly intervalMs: number;
  readonly pageIntervalMs: number;
  private readonly lookbackMs: number;
  private readonly maxLagMs: number;
  private readonly maxBackoffMs: number;
  private readonly now: () => number;
  private readonly random: () => number;
  /** Calls made (for tests and the status line). */
  calls = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    opts: CursorOptions,
  ) {
    this.scanStart = opts.startTime;
    this.intervalMs = opts.intervalMs ?? 1_000;
    this.pageIntervalMs = opts.pageIntervalMs ?? 200;
    this.lookbackMs = opts.lookbackMs ?? 10_000;
    this.maxLagMs = opts.maxLagMs ?? 5 * 60_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.now = opts.now ?? Date.now;
    this.random = opts.random ?? Math.random;
  }

  /** Where the current (or next) scan starts; for tests and diagnostics. */
  get position(): { scanStart: number; midScan: boolean; tracked: number } {
    return { scanStart: this.scanStart, midScan: this.token !== undefined, tracked: this.seen.size };
  }

  /** Marks events as already delivered (e.g. by Live Tail before a fallback) so they are not sent twice. */
  markSeen(ids: Iterable<[string, number]>): void {
    for (const [id, ts] of ids) this.seen.set(id, ts);
  }

  /** One FilterLogEvents call. Throws what fetchPage throws (see `failure()` to decide what to do). */
  async step(): Promise<StepResult> {
    this.calls += 1;
    const page = await this.fetchPage({ startTime: this.scanStart, ...(this.token ? { nextToken: this.token } : {}) });
    this.failures = 0;
    const fresh: RawLogEvent[] = [];
    for (const e of page.events) {
      if (this.seen.has(e.id)) continue;
      this.seen.set(e.id, e.ts);
      fresh.push(e);
      if (this.newestTs === undefined || e.ts > this.newestTs) this.newestTs = e.ts;
    }
    fresh.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    if (page.nextToken) {
      this.token = page.nextToken;
      return { events: fresh, more: true };
    }
    this.token = undefined;
    this.advance();
    return { events: fresh, more: false };
  }

  /** After a complete scan: move the start to (newest event, capped at our clock) − lookback, and prune `seen`. */
  private advance(): void {
    const now = this.now();
    const anchor = this.newestTs === undefined ? Number.NEGATIVE_INFINITY : Math.min(this.newestTs, now) - this.lookbackMs;
    const next = Math.max(this.scanStart, anchor, now - this.maxLagMs);
    if (next !== this.scanStart) {
      this.scanStart = next;
      for (const [id, ts] of this.seen) if (ts < next) this.seen.delete(id);
    }
  }

  /** Classifies an error thrown by step(): terminal (report and stop) or retry after a backoff. */
  failure(err: unknown): StepFailure {
    const kind = err instanceof ConsoleAwsError ? err.kind : classifyAwsError(err).kind;
    const message = err instanceof Error ? err.message : String(err);
    if (kind === "invalid" || kind === "access-denied") return { terminal: true, message, kind };
    this.failures += 1;
    const base = Math.min(this.maxBackoffMs, this.intervalMs * 2 ** this.failures);
    // "Equal jitter": half fixed, half random, so readers that were throttled together don't retry together.
    const retryInMs = Math.round(base / 2 + (this.random() * base) / 2);
    return { terminal: false, message, kind, retryInMs };
  }

  /** The pause before the next step after a successful one. */
  delayAfter(r: StepResult): number {
    return r.more ? this.pageIntervalMs : this.intervalMs;
  }
}

export interface CursorSink {
  events(batch: RawLogEvent[]): void;
  /** Transient trouble (throttled, retrying) — shown as a status line, cleared by the next success. */
  status(message: string | undefined): void;
}

/** Sleeps `ms`, resolving early when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * Runs a cursor until the signal aborts. Resolves normally on abort; rejects with a terminal error
 * (e.g. "Invalid filter pattern") which the caller reports to its viewers.
 */
export async function runCursor(cursor: FilterCursor, sink: CursorSink, signal: AbortSignal, wait = sleep): Promise<void> {
  let troubled = false;
  while (!signal.aborted) {
    let delay: number;
    try {
      const r = await cursor.step();
      if (signal.aborted) return;
      if (troubled) {
        sink.status(undefined);
        troubled = false;
      }
      if (r.events.length > 0) sink.events(r.events);
      delay = cursor.delayAfter(r);
    } catch (err) {
      if (signal.aborted) return;
      const f = cursor.failure(err);
      if (f.terminal) throw err;
      troubled = true;
      sink.status(
        f.kind === "throttled"
          ? `CloudWatch is throttling log reads; retrying in ${Math.ceil(f.retryInMs / 1000)} s.`
          : f.kind === "not-found"
            ? `The log group does not exist yet; checking again in ${Math.ceil(f.retryInMs / 1000)} s.`
            : `Reading logs failed (${f.message}); retrying in ${Math.ceil(f.retryInMs / 1000)} s.`,
      );
      delay = f.retryInMs;
    }
    await wait(delay, signal);
  }
}
