import "server-only";
import http from "node:http";
import { PEER_HEADER } from "@/server/auth/client-address";

const g = globalThis as typeof globalThis & { __pecPeerHeader?: boolean };

/**
 * Next only exposes request headers to pages and actions, and it fills X-Forwarded-For with the TCP peer only when the
 * client sent none — so a client could otherwise pick its own address. This stamps the real peer into a header of our
 * own on every incoming request (overwriting anything the client sent under that name) before Next handles it.
 * Called once from instrumentation.ts at start-up.
 */
export function installPeerAddressHeader(): void {
  if (g.__pecPeerHeader) return;
  g.__pecPeerHeader = true;
  type Emit = (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  const emit = http.Server.prototype.emit as Emit;
  const patched: Emit = function (event, ...args) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  };
  http.Server.prototype.emit = patched as typeof http.Server.prototype.emit;
}
