import type { LogLine } from "@/lib/logs";

// The viewer's line buffer. Lines arriving from the stream are queued and applied once per animation frame, so
// 2,000 lines/s cost one React render per frame, not one per line. Memory is bounded: at most `cap` lines are kept
// (oldest dropped, counted and shown); while paused, new lines wait in a held queue (bounded the same way) and the
// toolbar shows how many.

export const DEFAULT_CAP = 50_000;
const MIN_FLUSH_MS = 100;

export interface LogSnapshot {
  version: number;
  lines: readonly LogLine[];
  /** Lines dropped from the top because of the cap. */
  dropped: number;
  /** Lines waiting while paused. */
  held: number;
  /** Lines ever shown (for "N new lines" counts). */
  total: number;
  paused: boolean;
}

export class LogStore {
  private lines: LogLine[] = [];
  private pending: LogLine[] = [];
  private heldLines: LogLine[] = [];
  private dropped = 0;
  private total = 0;
  private paused = false;
  private version = 0;
  private frame: number | undefined;
  private snapshot: LogSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly ids = new Set<string>();

  constructor(readonly cap = DEFAULT_CAP) {
    this.snapshot = this.makeSnapshot();
  }

  subscribe = (l: () => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  getSnapshot = () => this.snapshot;

  /** Queue lines from the stream; they appear on the next animation frame. */
  append(batch: readonly LogLine[]): void {
    for (const l of batch) this.pending.push(l);
    this.schedule();
  }

  /** Replace everything (a new source/filter/range). */
  reset(lines: readonly LogLine[] = []): void {
    this.pending = [];
    this.heldLines = [];
    this.lines = [];
    this.ids.clear();
    this.dropped = 0;
    this.add(lines);
    this.publish();
  }

  /** Older lines ("load older") go on top; refused once the cap is reached (returns how many were added). */
  prepend(older: readonly LogLine[]): number {
    const room = this.cap - this.lines.length;
    if (room <= 0) return 0;
    const fresh = older.filter((l) => !this.ids.has(l.id)).slice(-room);
    for (const l of fresh) this.ids.add(l.id);
    this.lines = [...fresh, ...this.lines];
    this.publish();
    return fresh.length;
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (!paused && this.heldLines.length > 0) {
      const held = this.heldLines;
      this.heldLines = [];
      this.add(held);
    }
    this.publish();
  }

  all(): readonly LogLine[] {
    return this.lines;
  }

  private lastFlush = 0;

  private schedule() {
    if (this.frame !== undefined) return;
    const run = () => {
      this.frame = undefined;
      this.lastFlush = performance.now();
      this.flush();
    };
    // At most one render per MIN_FLUSH_MS (10/s): lines arrive in bursts (one poll a second), and a render of the
    // list costs the same for 1 line as for 2,000. requestAnimationFrame pauses in background tabs; the timeout
    // path keeps memory bounded there too.
    const wait = Math.max(0, this.lastFlush + MIN_FLUSH_MS - performance.now());
    if (typeof requestAnimationFrame !== "function" || document.visibilityState !== "visible") {
      this.frame = setTimeout(run, Math.max(wait, 250)) as unknown as number;
    } else if (wait > 0) {
      this.frame = setTimeout(() => requestAnimationFrame(run), wait) as unknown as number;
    } else this.frame = requestAnimationFrame(run);
  }

  /** Applies queued lines now (called per frame; public for tests). */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    if (this.paused) {
      for (const l of batch) this.heldLines.push(l);
      if (this.heldLines.length > this.cap) {
        this.dropped += this.heldLines.length - this.cap;
        this.heldLines.splice(0, this.heldLines.length - this.cap);
      }
    } else this.add(batch);
    this.publish();
  }

  private add(batch: readonly LogLine[]) {
    for (const l of batch) {
      if (this.ids.has(l.id)) continue;
      this.ids.add(l.id);
      this.lines.push(l);
      this.total += 1;
    }
    const over = this.lines.length - this.cap;
    if (over > 0) {
      for (const l of this.lines.slice(0, over)) this.ids.delete(l.id);
      this.lines.splice(0, over);
      this.dropped += over;
    }
  }

  private makeSnapshot(): LogSnapshot {
    return {
      version: this.version,
      lines: this.lines,
      dropped: this.dropped,
      held: this.heldLines.length,
      total: this.total,
      paused: this.paused,
    };
  }

  private publish() {
    this.version += 1;
    this.snapshot = this.makeSnapshot();
    for (const l of this.listeners) l();
  }
}
