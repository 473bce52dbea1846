import "server-only";

// Where a request came from, for the login throttle and the audit log.
//
// X-Forwarded-For is written by whoever sent the request, so only the entries appended by proxies we run count:
// the console appends the TCP peer itself (PEER_HEADER, set by server/http/peer-address.ts before Next sees the
// request), and with CONSOLE_TRUSTED_PROXY_HOPS = n the client is the entry n places left of that peer
// (an ALB appends the address it saw, so n = 1 behind one ALB). Entries further left are the client's own claims.
export const PEER_HEADER = "x-pec-peer";

export function clientAddress(headers: Pick<Headers, "get">, trustedHops: number): string {
  const peer = headers.get(PEER_HEADER)?.trim();
  if (!peer) return "unknown";
  if (trustedHops === 0) return peer;
  const forwarded = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  // Next fills an absent X-Forwarded-For with the peer itself: that is no hop.
  const chain = forwarded.length === 1 && forwarded[0] === peer ? [peer] : [...forwarded, peer];
  // Fewer entries than trusted hops: the request skipped a proxy we expect; the leftmost entry is still a proxy's view.
  return chain[Math.max(0, chain.length - 1 - trustedHops)] ?? peer;
}
