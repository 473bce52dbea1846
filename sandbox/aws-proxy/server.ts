// The AWS endpoint the product talks to (AWS_ENDPOINT_URL). Every request is identified (service + operation),
// counted, optionally hit by an injected fault, then forwarded to moto; a few answers are rewritten so that moto
// behaves like AWS in time (see ecs.ts, rds.ts, elbv2.ts, cloudwatch.ts).
import http from "node:http";
import { closeServer, listenEphemeral, readBody, sleep, trackSockets } from "../util/net";
import { accessKeyOf, authorize } from "./authorization";
import { autoscalingRewriters } from "./autoscaling";
import { cloudwatchRewriters } from "./cloudwatch";
import { ecsRewriters } from "./ecs";
import { elbRewriters } from "./elbv2";
import { FaultInjector } from "./faults";
import { LiveTailHub, liveTailRewriters } from "./live-tail";
import { faultResponse, identify, type ErrorResponse } from "./protocol";
import { logsRewriters } from "./logs";
import { rdsRewriters } from "./rds";
import { serviceDiscoveryRewriters } from "./servicediscovery";
import { VALIDATORS } from "./rules";
import type { MotoAnswer, ProxyCall, ProxyEnv, RewriterTable } from "./types";

const REWRITERS: RewriterTable = {
  ...ecsRewriters,
  ...rdsRewriters,
  ...elbRewriters,
  ...cloudwatchRewriters,
  ...serviceDiscoveryRewriters,
  ...logsRewriters,
  ...autoscalingRewriters,
  ...liveTailRewriters,
};

export interface AwsProxy {
  url: string;
  faults: FaultInjector;
  calls: Map<string, number>;
  liveTail: LiveTailHub;
  close(): Promise<void>;
}

const HOP_BY_HOP = new Set(["connection", "keep-alive", "transfer-encoding", "content-length", "host", "proxy-connection", "upgrade"]);

export async function startAwsProxy(env: ProxyEnv, motoEndpoint: string): Promise<AwsProxy> {
  const moto = new URL(motoEndpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const faults = new FaultInjector();
  const calls = new Map<string, number>();
  const liveTail = new LiveTailHub(env);

  const server = http.createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      env.world.log(`aws proxy error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      if (!res.headersSent) res.writeHead(500, { "content-type": "text/plain" });
      res.end("sandbox proxy error");
    });
  });
  server.keepAliveTimeout = 30_000;
  const sockets = trackSockets(server);

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readBody(req);
    const aws = identify(req.headers, body);
    const key = `${aws.service}:${aws.operation}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);

    // IAM first, as AWS does: the console's requests are evaluated against its policy.
    const principal = env.principals?.get(accessKeyOf(req.headers.authorization) ?? "");
    if (principal) {
      const denied = await authorize(principal, aws, env.world.config.region, env.moto, req.method ?? "POST", req.url ?? "/");
      if (denied) {
        send(res, denied);
        return;
      }
    }

    const fault = faults.decide(aws.service, aws.operation);
    if (fault.latencyMs > 0) await sleep(fault.latencyMs);
    if (fault.action === "drop") {
      req.socket.destroy(); // the SDK sees ECONNRESET / socket hang up, a transient network error
      return;
    }
    if (fault.action === "throttle" || fault.action === "5xx") {
      send(res, faultResponse(aws, fault.action === "throttle" ? "throttle" : "5xx"));
      return;
    }

    const call: ProxyCall = { req: aws, body, memo: {}, now: Date.now() };
    if (key === "logs:StartLiveTail") {
      // Answered here, as a stream on this response (moto has no Live Tail): see live-tail.ts.
      const refused = await liveTail.start(call, res);
      if (refused) send(res, refused);
      return;
    }
    const refusal = await VALIDATORS[key]?.(env, call);
    if (refusal) {
      send(res, refusal);
      return;
    }
    const rw = REWRITERS[key];
    const early = rw?.before ? await rw.before(env, call) : undefined;
    if (early) {
      send(res, early);
      return;
    }
    let answer = await forward(req, call.body);
    if (rw?.after) {
      call.now = Date.now();
      answer = await rw.after(env, call, answer);
    }
    send(res, answer);
  }

  function forward(req: http.IncomingMessage, body: Buffer): Promise<MotoAnswer> {
    return new Promise((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {};
      for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
      headers["content-length"] = String(body.length);
      headers.host = moto.host;
      const up = http.request({ host: moto.hostname, port: moto.port, method: req.method, path: req.url, headers, agent }, (r) => {
        const chunks: Buffer[] = [];
        r.on("data", (c: Buffer) => chunks.push(c));
        r.on("end", () => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(r.headers))
            if (!HOP_BY_HOP.has(k) && v !== undefined) h[k] = Array.isArray(v) ? v.join(", ") : v;
          resolve({ status: r.statusCode ?? 502, headers: h, body: Buffer.concat(chunks).toString("utf8") });
        });
        r.on("error", reject);
      });
      up.on("error", reject);
      up.end(body);
    });
  }

  function send(res: http.ServerResponse, r: ErrorResponse | MotoAnswer): void {
    const buf = Buffer.from(r.body, "utf8");
    res.writeHead(r.status, { ...r.headers, "content-length": String(buf.length) });
    res.end(buf);
  }

  const port = await listenEphemeral(server);
  return {
    url: `http://127.0.0.1:${port}`,
    faults,
    calls,
    liveTail,
    async close() {
      liveTail.close();
      await closeServer(server, sockets);
      agent.destroy();
    },
  };
}
