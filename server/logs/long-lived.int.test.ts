import { CloudWatchLogsClient, CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { adminConfig } from "@/test/fixtures/sandbox";
import { historyPage, sourceFetch } from "./history";
import { resolveSource } from "./sources";

// A long-lived stack has far more task streams than the 100 names FilterLogEvents takes: every replaced server task
// leaves one. Server history (and downloads, which read the same way) must still find the oldest task's lines — and
// only the server's, never the worker's. Needs the sandbox to honour logStreamNamePrefix as CloudWatch does.

const region = process.env.AWS_REGION ?? "us-east-1";

describe("logs of a stack with more than 100 server task streams", () => {
  it("server history reads every server stream by prefix, the oldest too, and no worker stream", async () => {
    const env = `ll-${randomBytes(3).toString("hex")}`;
    const group = `/ecs/prefect-${env}`;
    // The streams are written as the account administrator (tasks write them on AWS, not the console).
    const cwl = new CloudWatchLogsClient({ ...adminConfig(), region });
    await cwl.send(new CreateLogGroupCommand({ logGroupName: group }));
    const t0 = Date.now() - 60 * 60_000;
    const put = async (stream: string, ts: number, message: string) => {
      await cwl.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      await cwl.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: ts, message }] }));
    };
    const STREAMS = 130;
    for (let i = 0; i < STREAMS; i++)
      await put(`server/prefect-server/${i.toString(16).padStart(32, "0")}`, t0 + i * 1000, `server task ${i} started`);
    await put(`worker/prefect-worker/${"f".repeat(32)}`, t0 + 500, "worker line");

    const src = await resolveSource({ env, region }, { source: "server" });
    const fetch = await sourceFetch(src, "");
    const page = await historyPage(fetch!, { start: t0 - 1000, end: Date.now(), limit: 1000 });
    const messages = page.lines.map((l) => l.message);
    expect(messages).toHaveLength(STREAMS);
    expect(messages[0]).toBe("server task 0 started"); // the oldest task's stream, beyond the newest 100
    expect(messages).not.toContain("worker line");
  });
});
