import "server-only";
import { RingBuffer } from "@/lib/ring-buffer";
import { onShutdown } from "@/server/lifecycle/shutdown";
import { decodeLineId, encodeLineId, type LogLine } from "@/lib/logs";
import { atOrBefore, linesAfter, type Fetch } from "./history";
import { contentKey } from "./line-id";
import type { LogReaderRegistry, ReaderStatus } from "./registry";
import type { ResolvedSource } from "./sources";

// One browser's live tail as a Server-Sent Events body. The shared reader pushes lines into this client's bounded
// queue (drop-oldest, with a "dropped" notice): the browser reads at its own pace and never slows anybody else.
// Resume: with a Last-Event-ID (`<ts>.<eventId>`) the lines the reader still remembers are replayed; older gaps are
// back-filled with FilterLogEvents from that point, and live lines that overlap the back-fill are dropped — no gap,
// no duplicate. Heartbeat comments keep proxies from closing an idle stream. When the console shuts down the stream
// ends with a short retry hint: the browser reconnects (to another replica) and resumes with its Last-Event-ID.

export const SSE_HEADERS = {
  "Content-Type": "text/event-stream; charset=utf-8",
  "Cache-Control": "no-cache, no-transform",
  Connection: "keep-alive",
  "X-Accel-Buffering": "no",
} as const;

export interface LogStreamOptions {
  registry: LogReaderRegistry;
  src: ResolvedSource;
  filter: string;
  /** Raw Last-Event-ID (header or query). */
  lastEventId?: string;
  /** Start from this time when there is no Last-Event-ID (epoch ms). */
  since?: number;
  /** Reads history for back-fill (created lazily: only resumes that need it pay for stream resolution). */
  backfillFetch: () => Promise<Fetch | undefined>;
  signal?: AbortSignal;
  /** Who is watching (a user id), for the per-user cap on open log views. */
  owner?: string;
  queueCapacity?: number;
  heartbeatMs?: number;
  batchSize?: number;
  now?: () => number;
}

/** How soon a browser reconnects after the console closed its stream to shut down. */
export const SHUTDOWN_RETRY_MS = 1_000;

const enc = new TextEncoder();
const frame = (event: string, data: unknown, id?: string) =>
  enc.encode(`${id ? `id: ${id}\n` : ""}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);

/** Closing after the browser cancelled throws ("already closed"); that is the normal end here. */
function closeQuietly(controller: ReadableStreamDefaultController<Uint8Array>): void {
  try {
    controller.close();
  } catch {
    // already closed or cancelled
  }
}

/** A stream that only says why it could not open (e.g. a cap was reached): the browser shows it and stops. */
export function refusedLogStream(message: string): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(frame("failed", { message }));
      controller.close();
    },
  });
}

export function openLogStream(o: LogStreamOptions): ReadableStream<Uint8Array> {
  const queue = new RingBuffer<LogLine>(o.queueCapacity ?? 20_000);
  const batchSize = o.batchSize ?? 500;
  const heartbeatMs = o.heartbeatMs ?? 15_000;
  const now = o.now ?? Date.now;
  let wake: (() => void) | undefined;
  const poke = () => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  let failure: string | undefined;
  let pendingStatus: ReaderStatus | undefined;
  let closed = false;
  let restarting = false;

  const sub = o.registry.subscribe(
    o.src,
    o.filter,
    {
      lines: (batch) => {
        queue.pushAll(batch);
        poke();
      },
      status: (s) => {
        pendingStatus = s;
        poke();
      },
      failed: (message) => {
        failure = message;
        poke();
      },
    },
    o.owner,
  );
  pendingStatus = sub.status();

  // What to send before the live queue: a replay from the reader's ring, or a back-fill being read.
  let prefix: LogLine[] = [];
  let prefixNotice: string | undefined;
  let dedupe: { ids: Set<string>; keys: Set<string>; untilTs: number } | undefined;
  // Back-fill path only: live lines at or before the resume point were already seen by this browser.
  let floor: { ts: number; id?: string } | undefined;
  let backfill: Promise<void> | undefined;
  const last = o.lastEventId ? decodeLineId(o.lastEventId) : undefined;
  const replay = last ? sub.replayAfter(last.id) : undefined;
  if (replay) prefix = replay;
  else if (last || o.since !== undefined) {
    const from = last ?? { ts: o.since!, id: undefined };
    floor = from;
    const until = now();
    backfill = (async () => {
      const fetch = await o.backfillFetch();
      if (!fetch) return;
      const r = await linesAfter(fetch, { ts: from.ts, id: from.id, until });
      prefix = r.lines;
      if (!r.complete)
        prefixNotice = "Reconnected after a long gap: only the first lines of the gap were loaded. Use a time range to see the rest.";
      // Live lines repeating the back-fill, or the lines at the resume point's millisecond the browser already has
      // (Live Tail ids can't be ordered against eventIds, so those are recognised by content), are dropped.
      const known = [...r.atPoint, ...r.lines];
      if (known.length > 0) {
        dedupe = {
          ids: new Set(known.map((l) => l.id)),
          keys: new Set(known.map(contentKey)),
          untilTs: known[known.length - 1]!.ts,
        };
      }
    })().catch((err: unknown) => {
      prefixNotice = `Could not load the lines missed while disconnected: ${err instanceof Error ? err.message : String(err)}`;
    });
  }

  const cleanup = () => {
    if (closed) return;
    closed = true;
    sub.unsubscribe();
    offShutdown();
    poke();
  };
  const offShutdown = onShutdown("log stream", () => {
    restarting = true;
    poke();
  });
  o.signal?.addEventListener("abort", cleanup, { once: true });

  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        controller.enqueue(enc.encode(`retry: 3000\n\n`));
      },
      async pull(controller) {
        if (closed) return closeQuietly(controller);
        if (backfill) {
          await backfill;
          backfill = undefined;
        }
        for (;;) {
          if (closed) return closeQuietly(controller);
          if (restarting) {
            controller.enqueue(enc.encode(`retry: ${SHUTDOWN_RETRY_MS}\n\n`));
            cleanup();
            return closeQuietly(controller);
          }
          if (prefixNotice) {
            controller.enqueue(frame("notice", { message: prefixNotice }));
            prefixNotice = undefined;
            return;
          }
          if (prefix.length > 0) {
            const batch = prefix.splice(0, batchSize);
            controller.enqueue(frame("lines", batch, encodeLineId(batch[batch.length - 1]!)));
            return;
          }
          if (pendingStatus) {
            controller.enqueue(frame("status", pendingStatus));
            pendingStatus = undefined;
            return;
          }
          const dropped = queue.takeDropped();
          if (dropped > 0) {
            controller.enqueue(frame("notice", { dropped, message: `${dropped} lines were skipped because this browser fell behind.` }));
            return;
          }
          if (queue.size > 0) {
            let batch = queue.shift(batchSize);
            const f = floor;
            if (f) batch = batch.filter((l) => !atOrBefore(l, f));
            const d = dedupe;
            if (d) {
              batch = batch.filter((l) => l.ts > d.untilTs || !(d.ids.has(l.id) || d.keys.has(contentKey(l))));
              if (batch.length > 0 && batch[batch.length - 1]!.ts > d.untilTs) dedupe = undefined;
            }
            if (batch.length === 0) continue;
            controller.enqueue(frame("lines", batch, encodeLineId(batch[batch.length - 1]!)));
            return;
          }
          if (failure) {
            controller.enqueue(frame("failed", { message: failure }));
            cleanup();
            return closeQuietly(controller);
          }
          let timer: ReturnType<typeof setTimeout> | undefined;
          const timedOut = await new Promise<boolean>((resolve) => {
            wake = () => resolve(false);
            timer = setTimeout(() => resolve(true), heartbeatMs);
          });
          clearTimeout(timer);
          wake = undefined;
          if (timedOut && !closed) {
            controller.enqueue(enc.encode(`: heartbeat ${now()}\n\n`));
            return;
          }
        }
      },
      cancel() {
        cleanup();
      },
    },
    { highWaterMark: 1 },
  );
}
