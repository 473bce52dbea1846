// Reads a Server-Sent Events Response body (the log stream route's) in the background, collecting its events.
import type { LogLine } from "@/lib/logs";

export interface Sse {
  lines: LogLine[];
  events: { event: string; id?: string; data: unknown }[];
  lastId: string | undefined;
  close(): void;
  done: Promise<void>;
}

/** Reads an SSE Response body in the background, collecting events. */
export function readSse(res: Response): Sse {
  const s: Sse = { lines: [], events: [], lastId: undefined, close: () => undefined, done: Promise.resolve() };
  const reader = res.body!.getReader();
  const dec = new TextDecoder();
  let buf = "";
  let closed = false;
  s.close = () => {
    closed = true;
    void reader.cancel().catch(() => undefined);
  };
  s.done = (async () => {
    while (!closed) {
      const r = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (r.done) return;
      buf += dec.decode(r.value, { stream: true });
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const e: { event?: string; id?: string; data?: unknown } = {};
        for (const l of block.split("\n")) {
          if (l.startsWith("event: ")) e.event = l.slice(7);
          else if (l.startsWith("id: ")) e.id = l.slice(4);
          else if (l.startsWith("data: ")) e.data = JSON.parse(l.slice(6));
        }
        if (!e.event) continue;
        s.events.push(e as Sse["events"][number]);
        if (e.event === "lines") {
          s.lines.push(...(e.data as LogLine[]));
          s.lastId = e.id;
        }
      }
    }
  })();
  return s;
}
