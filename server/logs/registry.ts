import "server-only";
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
  lingerMs?: number;
  /** Recent lines kept per reader for replay. */
  replayCapacity?: number;
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

  constructor(opts: RegistryOptions = {}) {
    this.upstream = opts.upstream ?? autoUpstream();
    this.lingerMs = opts.lingerMs ?? 5_000;
    this.replayCapacity = opts.replayCapacity ?? 10_000;
  }

  subscribe(src: ResolvedSource, filter: string, listener: ReaderListener): Subscription {
    const key = readerKey(src, filter);
    let reader = this.readers.get(key);
    if (!reader) reader = this.start(key, src, filter);
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

// One registry per server process, on globalThis so Next's dev-mode module reloads don't start duplicate readers.
const g = globalThis as typeof globalThis & { __pecLogRegistry?: LogReaderRegistry };

export function logRegistry(): LogReaderRegistry {
  g.__pecLogRegistry ??= new LogReaderRegistry();
  return g.__pecLogRegistry;
}
