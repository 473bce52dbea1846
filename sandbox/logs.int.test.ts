// FilterLogEvents honours logStreamNamePrefix as CloudWatch Logs does (moto searches every stream), across more
// than 100 streams, and refuses it together with logStreamNames.
import { describe, expect, it } from "vitest";
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  FilterLogEventsCommand,
  PutLogEventsCommand,
} from "@aws-sdk/client-cloudwatch-logs";
import { adminConfig, uniq } from "@/test/fixtures/sandbox";

describe("CloudWatch Logs FilterLogEvents", () => {
  const logs = new CloudWatchLogsClient(adminConfig());

  it("logStreamNamePrefix selects the streams with that prefix, however many there are", async () => {
    const group = `/ecs/${uniq("prefect-logs")}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    const put = async (stream: string, message: string) => {
      await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      await logs.send(
        new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [{ timestamp: Date.now(), message }] }),
      );
    };
    // 120 server task streams (more than DescribeLogStreams' 50 a page and FilterLogEvents' 100 stream names) and 3 worker ones.
    for (let i = 0; i < 120; i++) await put(`server/prefect-server/task${String(i).padStart(3, "0")}`, `server line ${i}`);
    for (let i = 0; i < 3; i++) await put(`worker/prefect-worker/task${i}`, `worker line ${i}`);

    const events: string[] = [];
    let token: string | undefined;
    do {
      const r = await logs.send(
        new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: "server/", interleaved: true, nextToken: token }),
      );
      events.push(...(r.events ?? []).map((e) => e.message ?? ""));
      token = r.nextToken;
    } while (token);
    expect(events).toHaveLength(120);
    expect(events.every((m) => m.startsWith("server line"))).toBe(true);

    const workers = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: "worker/" }));
    expect((workers.events ?? []).map((e) => e.message).sort()).toEqual(["worker line 0", "worker line 1", "worker line 2"]);
    const none = await logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: "flow-runs/" }));
    expect(none.events).toEqual([]);
  });

  it("logStreamNamePrefix with logStreamNames is an InvalidParameterException", async () => {
    const group = `/ecs/${uniq("prefect-logs")}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
    await expect(
      logs.send(new FilterLogEventsCommand({ logGroupName: group, logStreamNamePrefix: "server/", logStreamNames: ["server/x"] })),
    ).rejects.toMatchObject({ name: "InvalidParameterException" });
  });
});
