import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PrefectError, prefectHealth, prefectReady, prefectVersion, prefectWorkPools } from "./client";

// The Prefect client against a local stand-in answering like a Prefect 3 server in trouble.
let server: http.Server;
let base = "";
let lastAuth: string | undefined;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    lastAuth = req.headers.authorization;
    if (req.url === "/api/health") return void res.end("true");
    if (req.url === "/api/ready")
      return void (res.writeHead(503, { "content-type": "application/json" }), res.end('{"message":"database unreachable"}'));
    if (req.url === "/api/admin/version") return void res.end("<html>not json</html>");
    if (req.url === "/api/work_pools/filter") return void (res.writeHead(401), res.end('{"exception_message":"Unauthorized"}'));
    if (req.url === "/slow/api/health") return void setTimeout(() => res.end("true"), 2_000);
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const kindOf = (p: Promise<unknown>) =>
  p.then(
    () => "resolved",
    (e: unknown) => (e instanceof PrefectError ? e.kind : "other"),
  );

describe("Prefect client", () => {
  it("reads health and sends basic auth when the stack has an auth string", async () => {
    expect(await prefectHealth({ apiUrl: `${base}/api`, authString: "admin:s3cret" })).toBe(true);
    expect(lastAuth).toBe(`Basic ${Buffer.from("admin:s3cret").toString("base64")}`);
  });
  it("reports not-ready on 503, refused credentials on 401, garbage as invalid", async () => {
    expect(await prefectReady({ apiUrl: `${base}/api` })).toBe(false);
    expect(await kindOf(prefectWorkPools({ apiUrl: `${base}/api` }))).toBe("unauthorized");
    expect(await kindOf(prefectVersion({ apiUrl: `${base}/api` }))).toBe("invalid");
  });
  it("times out and reports an unreachable server", async () => {
    expect(await kindOf(prefectHealth({ apiUrl: `${base}/slow/api`, timeoutMs: 200 }))).toBe("timeout");
    expect(await kindOf(prefectHealth({ apiUrl: "http://127.0.0.1:1/api", timeoutMs: 1_000 }))).toBe("unreachable");
  });
});
