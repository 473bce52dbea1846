// The ALB data plane as an ordinary HTTP forward proxy (the product's HTTP_PROXY). A request for
// http://<alb-dns-name>/api/… (absolute-form, or inside a CONNECT tunnel — undici's ProxyAgent tunnels even plain
// HTTP) is routed like the ALB would: listener → target group → a healthy target → the Prefect stand-in for that
// target's stack. No healthy target → 503 with the ALB's own HTML page. A custom name is routed to the ALB its
// Route 53 alias/CNAME record points at (sandbox/dns.ts); a name with no record fails as an unresolvable host does
// behind a forward proxy (502, `getaddrinfo ENOTFOUND <host>`). HTTPS listeners present a certificate for exactly
// their ACM certificate's names (tls.ts): never for the ALB's own *.elb.amazonaws.com name. The proxy's clients (the
// console) sit outside every VPC: an internal ALB's private addresses never answer them — after a TCP connect
// timeout (scaled) the proxy answers 504 `connect ETIMEDOUT`, as a forward proxy reports an unreachable host.
import http from "node:http";
import type net from "node:net";
import tls from "node:tls";
import { handlePrefect } from "./prefect/api";
import type { SandboxDns } from "./dns";
import type { StackDirectory } from "./prefect/stacks";
import type { AlbTls } from "./tls";
import { closeServer, listenEphemeral, readBody, sleep, trackSockets } from "./util/net";
import { AWS_SECONDS } from "./physics/timing";
import type { World } from "./world";

const ALB_503 = `<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n</body>\r\n</html>\r\n`;
const ALB_502 = `<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n`;

export interface AlbProxy {
  url: string;
  close(): Promise<void>;
}

const notFound = (host: string) => `getaddrinfo ENOTFOUND ${host}`;
const connectTimeout = (host: string, port: number) => `connect ETIMEDOUT ${host}:${port}`;

export async function startAlbProxy(world: World, stacks: StackDirectory, dns: SandboxDns, albTls?: AlbTls): Promise<AlbProxy> {
  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      world.log(`alb proxy error: ${String(e)}`);
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/html", server: "awselb/2.0" });
      res.end(ALB_502);
    });
  });
  const sockets = trackSockets(server);
  /** Port a tunnelled socket was CONNECTed to (requests inside carry only Host). */
  const tunnelPort = new WeakMap<net.Socket, number>();

  server.on("connect", (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const [host = "", portStr = "443"] = (req.url ?? "").split(":");
    const port = Number(portStr);
    void (async () => {
      const lb = await dns.albFor(host);
      if (!lb?.DNSName || !lb.LoadBalancerArn) {
        socket.end(
          `HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/plain\r\nContent-Length: ${notFound(host).length}\r\n\r\n${notFound(host)}`,
        );
        return;
      }
      if (lb.Scheme === "internal") {
        await sleep(world.scaled(AWS_SECONDS.tcpConnectTimeout));
        const text = connectTimeout(host, port);
        socket.end(`HTTP/1.1 504 Gateway Timeout\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
        return;
      }
      const route = await stacks.route(lb.DNSName, port, Date.now());
      const listener = (await dns.listeners(lb.LoadBalancerArn)).find((l) => l.Port === port);
      const certArn = listener?.Protocol === "HTTPS" ? listener.Certificates?.[0]?.CertificateArn : undefined;
      const names = certArn ? await dns.certificateNames(certArn) : [];
      const wantsTls = port === 443 || listener?.Protocol === "HTTPS";
      if (route.kind === "unknown-host" || route.kind === "no-listener" || (wantsTls && (!albTls || names.length === 0))) {
        // No listener refuses; without openssl (or an HTTPS listener's certificate) there is no TLS to offer.
        socket.end("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      socket.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length) socket.unshift(head);
      // The same HTTP server parses the tunnelled requests (through TLS for an HTTPS listener), with the
      // certificate ACM would have issued: exactly the listener certificate's names.
      const leaf = wantsTls && albTls ? albTls.certFor(names) : undefined;
      const inner = leaf ? new tls.TLSSocket(socket, { isServer: true, key: leaf.key, cert: leaf.cert }) : socket;
      inner.on("error", () => socket.destroy()); // e.g. the client rejected the certificate
      tunnelPort.set(inner, port);
      server.emit("connection", inner);
    })().catch(() => socket.destroy());
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const now = Date.now();
    let host: string;
    let port: number;
    let path: string;
    if (req.url?.startsWith("http://") || req.url?.startsWith("https://")) {
      const u = new URL(req.url);
      host = u.hostname;
      port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
      path = u.pathname + u.search;
    } else {
      const h = req.headers.host ?? "";
      host = h.split(":")[0] ?? "";
      port = tunnelPort.get(req.socket) ?? Number(h.split(":")[1] ?? "80");
      path = req.url ?? "/";
    }
    const body = (await readBody(req)).toString("utf8");
    const lb = await dns.albFor(host);
    if (!lb?.DNSName) {
      res.writeHead(502, { "content-type": "text/plain" });
      res.end(`${notFound(host)}\n`);
      return;
    }
    if (lb.Scheme === "internal") {
      await sleep(world.scaled(AWS_SECONDS.tcpConnectTimeout));
      res.writeHead(504, { "content-type": "text/plain" });
      res.end(`${connectTimeout(host, port)}\n`);
      return;
    }
    const route = await stacks.route(lb.DNSName, port, now);
    const count = (lbArn: string, field: "requests" | "elb5xx" | "target5xx", latency = 0) => {
      const c = world.albCounters.get(lbArn) ?? { requests: 0, target5xx: 0, elb5xx: 0, latencySum: 0 };
      c.requests++;
      if (field !== "requests") c[field]++;
      c.latencySum += latency;
      world.albCounters.set(lbArn, c);
    };
    switch (route.kind) {
      case "unknown-host":
        res.writeHead(502, { "content-type": "text/plain" });
        res.end(`sandbox ALB proxy: no load balancer named ${host}\n`);
        return;
      case "no-listener":
        req.socket.destroy(); // like a refused connection
        return;
      case "fixed":
        res.writeHead(route.status, { "content-type": route.contentType, server: "awselb/2.0" });
        res.end(route.body);
        return;
      case "unavailable":
        count(route.lbArn, "elb5xx");
        res.writeHead(503, { "content-type": "text/html", server: "awselb/2.0" });
        res.end(ALB_503);
        return;
      case "target": {
        const ctx = await stacks.context(route.task, now);
        const headers: Record<string, string | undefined> = {};
        for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(", ") : v;
        const answer = handlePrefect(ctx, req.method ?? "GET", path, headers, body);
        count(route.lbArn, answer.status >= 500 ? "target5xx" : "requests", (Date.now() - now) / 1000 + 0.004);
        res.writeHead(answer.status, { ...answer.headers, "content-length": String(Buffer.byteLength(answer.body)) });
        res.end(answer.body);
        return;
      }
    }
  }

  const port = await listenEphemeral(server);
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => closeServer(server, sockets),
  };
}
