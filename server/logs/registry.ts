import "server-only";
import { processSingleton } from "@/server/process-singleton";
import type { RawLogEvent } from "@/server/aws/logs";
import { log } from "@/server/log";
import { RingBuffer } from "@/lib/ring-buffer";
import type { LogLine } from "@/lib/logs";
import { autoUpstream, type Upstream, type UpstreamSink } from "./live-tail";
import type { ResolvedSource } from "./sources";

// Fan-out: ONE upstream reader per (region, log group, source, filter pattern), shared by every browser watching it.
// Started by the first subscriber, stopped `lingerMs` after the last one leaves (a page reload reuses it).
// Each reader keeps its recent lines in a ring buffer so a reconnecting browser (Last-Event-ID) is replayed exactly
// what it missed. Listeners are called synchronously and must not block: the SSE route copies lines into a bounded
// per-client queue, so a slow browser never slows the reader or the other viewers.

export interface ReaderListener {
  lines(batch: LogLine[]): void;
  /** Transient upstream trouble (undefined = cleared) and the current mode. */
  status(s: ReaderStatus): void;
  /** The reader stopped for good (e.g. CloudWatch rejected the filter pattern). */
  failed(message: string): void;
}

export interface ReaderStatus {
  mode: "starting" | "live-tail" | "polling";
  /** Transient trouble (throttled, retrying). */
  message: string | undefined;
  /** Why the reader polls although Live Tail was wanted (e.g. the account's 15 sessions are in use). */
  notice?: string;
}

export interface Subscription {
  /** Lines the reader delivered after the line with this id, or undefined if it is no longer (or never was) in the ring. */
  replayAfter(lineId: string): LogLine[] | undefined;
  status(): ReaderStatus;
  unsubscribe(): void;
}

export interface RegistryOptions {
  upstream?: Upstream;
  /** Upstream readers running at once in this process (each polls FilterLogEvents or holds a Live Tail session). */
  maxReaders?: number;
  /** Log views one user may have open at once (tabs × panes). */
  maxViewsPerUser?: number;
  lingerMs?: number;
  /** Recent lines kept per reader for replay. */
  replayCapacity?: number;
}

// CloudWatch Logs allows about 10 FilterLogEvents calls/s and 15 Live Tail sessions per account and region; the
// console's share stays below both, and one person's open tabs can't take it all.
export const LOG_CAPS = { maxReaders: 10, maxViewsPerUser: 6 } as const;

/** A cap was reached: the message says which and what to do; it goes to the browser as-is. */
export class LogCapacityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LogCapacityError";
  }
}

export const readerKey = (src: ResolvedSource, filter: string) => JSON.stringify([src.region, src.logGroupName, src.key, filter]);

class SharedReader {
  readonly listeners = new Set<ReaderListener>();
  readonly recent: RingBuffer<LogLine>;
  readonly abort = new AbortController();
  statusNow: ReaderStatus = { mode: "starting", message: undefined };
  failure: string | undefined;
  lingerTimer: ReturnType<typeof setTimeout> | undefined;
  delivered = 0;

  constructor(
    readonly key: string,
    replayCapacity: number,
  ) {
    this.recent = new RingBuffer<LogLine>(replayCapacity);
  }

  sink(): UpstreamSink {
    return {
      events: (batch: RawLogEvent[]) => {
        if (this.abort.signal.aborted) return;
        const lines: LogLine[] = batch.map((e) => ({ id: e.id, ts: e.ts, stream: e.stream, message: e.message }));
        this.recent.pushAll(lines);
        this.delivered += lines.length;
        for (const l of this.listeners) l.lines(lines);
      },
      status: (message) => this.setStatus({ ...this.statusNow, message }),
      mode: (mode, notice) => this.setStatus({ ...this.statusNow, mode, notice }),
    };
  }

  private setStatus(s: ReaderStatus) {
    this.statusNow = s;
    for (const l of this.listeners) l.status(s);
  }
}

export class LogReaderRegistry {
  private readonly readers = new Map<string, SharedReader>();
  private readonly upstream: Upstream;
  private readonly lingerMs: number;
  private readonly replayCapacity: number;
  private readonly maxReaders: number;
  private readonly maxViewsPerUser: number;
  private readonly views = new Map<string, number>();

  constructor(opts: RegistryOptions = {}) {
    this.upstream = opts.upstream ?? autoUpstream();
    this.maxReaders = opts.maxReaders ?? LOG_CAPS.maxReaders;
    this.maxViewsPerUser = opts.maxViewsPerUser ?? LOG_CAPS.maxViewsPerUser;
    this.lingerMs = opts.lingerMs ?? 5_000;
    this.replayCapacity = opts.replayCapacity ?? 10_000;
  }

  /**
   * Joins (or starts) the shared reader for this source and filter. `owner` (a user id) counts toward that user's
   * cap. Throws LogCapacityError past a cap; a lingering reader nobody watches is stopped to make room first.
   */
  subscribe(src: ResolvedSource, filter: string, listener: ReaderListener, owner?: string): Subscription {
    const key = readerKey(src, filter);
    const mine = owner === undefined ? 0 : (this.views.get(owner) ?? 0);
    if (owner !== undefined && mine >= this.maxViewsPerUser)
      throw new LogCapacityError(
        `You already have ${this.maxViewsPerUser} live log views open, the most one person may have. Close one (another tab or pane) and try again.`,
      );
    let reader = this.readers.get(key);
    if (!reader) {
      if (this.readers.size >= this.maxReaders) {
        const idle = [...this.readers.values()].find((r) => r.listeners.size === 0);
        if (idle) {
          if (idle.lingerTimer) clearTimeout(idle.lingerTimer);
          this.stop(idle);
        }
      }
      if (this.readers.size >= this.maxReaders)
        throw new LogCapacityError(
          `The console is already reading ${this.maxReaders} different log streams, the most it runs at once (CloudWatch limits log reads per account). Try again when someone closes theirs, or watch a stream that is already open.`,
        );
      reader = this.start(key, src, filter);
    }
    if (owner !== undefined) this.views.set(owner, mine + 1);
    if (reader.lingerTimer) {
      clearTimeout(reader.lingerTimer);
      reader.lingerTimer = undefined;
    }
    reader.listeners.add(listener);
    const r = reader;
    let active = true;
    return {
      replayAfter: (lineId) => r.recent.after((l) => l.id === lineId),
      status: () => r.statusNow,
      unsubscribe: () => {
        if (!active) return;
        active = false;
        if (owner !== undefined) {
          const left = (this.views.get(owner) ?? 1) - 1;
          if (left > 0) this.views.set(owner, left);
          else this.views.delete(owner);
        }
        r.listeners.delete(listener);
        if (r.listeners.size === 0 && this.readers.get(key) === r) {
          if (this.lingerMs <= 0) this.stop(r);
          else r.lingerTimer = setTimeout(() => r.listeners.size === 0 && this.stop(r), this.lingerMs);
        }
      },
    };
  }

  private start(key: string, src: ResolvedSource, filter: string): SharedReader {
    const reader = new SharedReader(key, this.replayCapacity);
    this.readers.set(key, reader);
    log.info("log reader started", { group: src.logGroupName, source: src.key, filtered: filter !== "" });
    this.upstream({ src, filter }, reader.sink(), reader.abort.signal).then(
      () => {
        if (!reader.abort.signal.aborted) this.fail(reader, "The log reader stopped unexpectedly.");
      },
      (err: unknown) => {
        if (!reader.abort.signal.aborted) this.fail(reader, err instanceof Error ? err.message : String(err));
      },
    );
    return reader;
  }

  private fail(reader: SharedReader, message: string) {
    reader.failure = message;
    log.warn("log reader failed", { key: reader.key, detail: message });
    if (this.readers.get(reader.key) === reader) this.readers.delete(reader.key);
    reader.abort.abort();
    for (const l of [...reader.listeners]) l.failed(message);
    reader.listeners.clear();
  }

  private stop(reader: SharedReader) {
    if (this.readers.get(reader.key) === reader) this.readers.delete(reader.key);
    reader.abort.abort();
    log.info("log reader stopped", { key: reader.key, delivered: reader.delivered });
  }

  /** Running readers and their viewer counts (diagnostics, tests). */
  stats(): { key: string; viewers: number; mode: ReaderStatus["mode"] }[] {
    return [...this.readers.values()].map((r) => ({ key: r.key, viewers: r.listeners.size, mode: r.statusNow.mode }));
  }

  /** Stops every reader (tests, shutdown). */
  stopAll(): void {
    for (const r of [...this.readers.values()]) {
      if (r.lingerTimer) clearTimeout(r.lingerTimer);
      this.stop(r);
    }
  }
}

// One registry per server process (process-singleton.ts): every route bundle and dev-mode reload shares its readers.
export function logRegistry(): LogReaderRegistry {
  return processSingleton("log-registry", () => new LogReaderRegistry());
}
