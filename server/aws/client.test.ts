import http from "node:http";
import type { AddressInfo } from "node:net";
import { DescribeServicesCommand, ECSClient } from "@aws-sdk/client-ecs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awsClient } from "./client";

// A local ECS endpoint that throttles on demand and holds every answer for HOLD_MS, so the test can see how many
// of the console's calls are in flight at once — the property the issue is about: after a burst of throttling, an
// overview's parallel calls must still go out in parallel (adaptive mode's sticky limiter served them one by one).
const HOLD_MS = 250;
let throttleEvery = 0; // 0 = never; 2 = every second request
let seen = 0;
let inFlight = 0;
let maxInFlight = 0;
let throttled = 0;

const server = http.createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    seen += 1;
    if (throttleEvery && seen % throttleEvery === 0) {
      throttled += 1;
      res.writeHead(400, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ __type: "ThrottlingException", message: "Rate exceeded" }));
      return;
    }
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight -= 1;
      res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify({ services: [], failures: [] }));
    }, HOLD_MS);
  });
});

const saved = { ...process.env };

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env.AWS_ACCESS_KEY_ID = "testing";
  process.env.AWS_SECRET_ACCESS_KEY = "testing";
});

afterAll(async () => {
  process.env = saved;
  await new Promise((resolve) => server.close(resolve));
});

const describeOnce = (ecs: ECSClient) => ecs.send(new DescribeServicesCommand({ cluster: "c", services: ["s"] }));

describe("awsClient retries", () => {
  it("after a burst of throttling, later parallel calls go out in parallel again", async () => {
    // A region no other test uses, so this client is created here with the endpoint above.
    const ecs = awsClient(ECSClient, "eu-test-9");

    // The burst: every second request is throttled; each call still succeeds after a retry.
    throttleEvery = 2;
    for (let i = 0; i < 8; i++) await describeOnce(ecs);
    expect(throttled).toBeGreaterThanOrEqual(4);

    // Later, throttling over: one overview's worth of parallel calls.
    throttleEvery = 0;
    maxInFlight = 0;
    const started = Date.now();
    await Promise.all(Array.from({ length: 12 }, () => describeOnce(ecs)));
    const elapsed = Date.now() - started;

    // All 12 were held by the endpoint at the same time, and the batch took about one answer's time — not the
    // ~2 s per call a stuck client-side rate limiter would impose.
    expect(maxInFlight).toBe(12);
    expect(elapsed).toBeLessThan(12 * HOLD_MS);
  }, 30_000);
});
