// A fixed-capacity FIFO that overwrites its oldest items when full. Isomorphic: the server keeps recent lines per
// shared reader (for Last-Event-ID replay) and a bounded queue per browser; the viewer keeps its visible lines.

export class RingBuffer<T> {
  private buf: (T | undefined)[];
  private head = 0; // index of the oldest item
  private len = 0;
  /** Items overwritten since the last `takeDropped()`. */
  private dropped = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new Error("RingBuffer capacity must be a positive integer");
    this.buf = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.len;
  }

  push(item: T): void {
    const tail = (this.head + this.len) % this.capacity;
    this.buf[tail] = item;
    if (this.len < this.capacity) this.len += 1;
    else {
      this.head = (this.head + 1) % this.capacity;
      this.dropped += 1;
    }
  }

  pushAll(items: Iterable<T>): void {
    for (const i of items) this.push(i);
  }

  /** The i-th oldest item (0 = oldest). */
  at(i: number): T | undefined {
    if (i < 0 || i >= this.len) return undefined;
    return this.buf[(this.head + i) % this.capacity];
  }

  /** Removes and returns up to `max` oldest items. */
  shift(max: number): T[] {
    const n = Math.min(max, this.len);
    const out: T[] = new Array<T>(n);
    for (let i = 0; i < n; i++) {
      const idx = (this.head + i) % this.capacity;
      out[i] = this.buf[idx] as T;
      this.buf[idx] = undefined;
    }
    this.head = (this.head + n) % this.capacity;
    this.len -= n;
    return out;
  }

  toArray(): T[] {
    const out: T[] = new Array<T>(this.len);
    for (let i = 0; i < this.len; i++) out[i] = this.buf[(this.head + i) % this.capacity] as T;
    return out;
  }

  /** Items after the last one matching `pred` (undefined when none matches). */
  after(pred: (item: T) => boolean): T[] | undefined {
    for (let i = this.len - 1; i >= 0; i--) {
      if (pred(this.buf[(this.head + i) % this.capacity] as T)) {
        const out: T[] = [];
        for (let j = i + 1; j < this.len; j++) out.push(this.buf[(this.head + j) % this.capacity] as T);
        return out;
      }
    }
    return undefined;
  }

  /** How many items were overwritten since the last call, resetting the count. */
  takeDropped(): number {
    const d = this.dropped;
    this.dropped = 0;
    return d;
  }

  clear(): void {
    this.buf = new Array<T | undefined>(this.capacity);
    this.head = 0;
    this.len = 0;
  }
}
