import { describe, expect, it } from "vitest";
import { RingBuffer } from "./ring-buffer";

describe("RingBuffer", () => {
  it("keeps the newest `capacity` items and counts what it overwrote", () => {
    const r = new RingBuffer<number>(3);
    r.pushAll([1, 2, 3, 4, 5]);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.takeDropped()).toBe(2);
    expect(r.takeDropped()).toBe(0);
  });

  it("shifts in FIFO order across the wrap-around", () => {
    const r = new RingBuffer<number>(4);
    r.pushAll([1, 2, 3]);
    expect(r.shift(2)).toEqual([1, 2]);
    r.pushAll([4, 5, 6]);
    expect(r.toArray()).toEqual([3, 4, 5, 6]);
    expect(r.shift(10)).toEqual([3, 4, 5, 6]);
    expect(r.size).toBe(0);
  });

  it("finds the items after a marker", () => {
    const r = new RingBuffer<string>(5);
    r.pushAll(["a", "b", "c"]);
    expect(r.after((x) => x === "a")).toEqual(["b", "c"]);
    expect(r.after((x) => x === "z")).toBeUndefined();
    expect(r.at(1)).toBe("b");
  });
});
