import "server-only";
import { createHash } from "node:crypto";

// Line ids for Live Tail events, which carry no CloudWatch eventId. The id is derived from what FilterLogEvents
// returns too (time, stream, message), so a line first seen through Live Tail is recognised when the same event is
// read again by polling or a back-fill. `dup` tells identical lines of one delivery apart.

export const LIVE_TAIL_ID_PREFIX = "lt";

export function liveTailId(e: { ts: number; stream: string; message: string }, dup = 0): string {
  return (
    LIVE_TAIL_ID_PREFIX + createHash("sha1").update(`${e.ts}\u0000${e.stream}\u0000${e.message}\u0000${dup}`).digest("hex").slice(0, 24)
  );
}

export const isLiveTailId = (id: string) => id.startsWith(LIVE_TAIL_ID_PREFIX) && id.length === LIVE_TAIL_ID_PREFIX.length + 24;

/** Same time, stream and text: the same event, whichever API delivered it. */
export const contentKey = (e: { ts: number; stream: string; message: string }) => `${e.ts}\u0000${e.stream}\u0000${e.message}`;
