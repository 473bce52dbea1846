import { describe, expect, it } from "vitest";
import { clientAddress, PEER_HEADER } from "./client-address";

const h = (entries: Record<string, string>) => new Headers(entries);

describe("clientAddress", () => {
  it("with 0 trusted hops ignores a spoofed X-Forwarded-For and uses the TCP peer", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "10.9.9.9" }), 0)).toBe("203.0.113.9");
    expect(clientAddress(h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "1.1.1.1, 2.2.2.2" }), 0)).toBe("203.0.113.9");
  });

  it("behind one ALB takes the address the ALB appended, not what the client wrote before it", () => {
    // Client sent "X-Forwarded-For: 6.6.6.6"; the ALB appended the real client 198.51.100.7; the ALB (10.0.1.5) connected.
    expect(clientAddress(h({ [PEER_HEADER]: "10.0.1.5", "x-forwarded-for": "6.6.6.6, 198.51.100.7" }), 1)).toBe("198.51.100.7");
    expect(clientAddress(h({ [PEER_HEADER]: "10.0.1.5", "x-forwarded-for": "198.51.100.7" }), 1)).toBe("198.51.100.7");
  });

  it("with two hops counts two proxies from the right", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.0.0.1" }), 2)).toBe("198.51.100.7");
  });

  it("a request that skipped the expected proxy yields the peer (Next filled X-Forwarded-For with it)", () => {
    expect(clientAddress(h({ [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "203.0.113.9" }), 1)).toBe("203.0.113.9");
  });

  it("without the peer header (not stamped) every request shares one bucket rather than trusting the client", () => {
    expect(clientAddress(h({ "x-forwarded-for": "1.2.3.4" }), 0)).toBe("unknown");
  });
});
