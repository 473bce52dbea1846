import { CloudWatchLogsClient, DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient } from "@aws-sdk/client-ecs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleAwsError } from "@/server/aws/errors";
import { awsFailure } from "./request";
import { NotFoundError } from "@/server/errors";
import { resolveSource, streamNamesFor } from "./sources";

const ecs = mockClient(ECSClient);
const cwl = mockClient(CloudWatchLogsClient);
afterEach(() => {
  ecs.reset();
  cwl.reset();
});

const stack = { env: "prod", region: "eu-west-1" };
const taskId = "0123456789abcdef0123456789abcdef";

describe("log sources", () => {
  it("derives one task's stream from its task definition's awslogs options, not from the stream list", async () => {
    ecs.on(DescribeTasksCommand).resolves({
      tasks: [
        {
          taskArn: `arn:aws:ecs:eu-west-1:1:task/prefect-prod/${taskId}`,
          taskDefinitionArn: "arn:aws:ecs:eu-west-1:1:task-definition/prefect-worker-prod:7",
        },
      ],
    });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        containerDefinitions: [
          {
            name: "prefect-worker",
            logConfiguration: {
              logDriver: "awslogs",
              options: { "awslogs-group": "/ecs/prefect-prod", "awslogs-stream-prefix": "worker" },
            },
          },
          { name: "otel-sidecar", logConfiguration: { logDriver: "awsfirelens" } },
          {
            name: "init",
            logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "/ecs/prefect-prod", "awslogs-stream-prefix": "init" } },
          },
        ],
      },
    });
    const src = await resolveSource(stack, { source: "task", task: taskId });
    expect(src).toMatchObject({
      key: `task:${taskId}`,
      logGroupName: "/ecs/prefect-prod",
      streams: [`worker/prefect-worker/${taskId}`, `init/init/${taskId}`],
    });
    expect(ecs.commandCalls(DescribeTasksCommand)[0]!.args[0].input).toEqual({ cluster: "prefect-prod", tasks: [taskId] });
    // The stream list is never consulted for a task.
    expect(await streamNamesFor(src)).toEqual([`worker/prefect-worker/${taskId}`, `init/init/${taskId}`]);
    expect(cwl.commandCalls(DescribeLogStreamsCommand)).toHaveLength(0);
  });

  it("an unknown task, or one without an awslogs stream prefix, is not found", async () => {
    ecs.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: taskId, reason: "MISSING" }] });
    await expect(resolveSource(stack, { source: "task", task: taskId })).rejects.toBeInstanceOf(NotFoundError);
    ecs.on(DescribeTasksCommand).resolves({ tasks: [{ taskArn: `x/${taskId}`, taskDefinitionArn: "arn:td:no-prefix:1" }] });
    ecs.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        containerDefinitions: [{ name: "c", logConfiguration: { logDriver: "awslogs", options: { "awslogs-group": "g" } } }],
      },
    });
    await expect(resolveSource(stack, { source: "task", task: taskId })).rejects.toThrow(/awslogs-stream-prefix/);
  });

  it("server and worker are the stack's stream prefixes; the 100 most recently active streams are read", async () => {
    const src = await resolveSource(stack, { source: "server" });
    expect(src).toMatchObject({ logGroupName: "/ecs/prefect-prod", streamPrefix: "server/" });
    cwl.on(DescribeLogStreamsCommand).resolves({
      logStreams: Array.from({ length: 120 }, (_, i) => ({
        logStreamName: `server/prefect-server/t${i}`,
        creationTime: i,
        lastEventTimestamp: i === 3 ? 10_000 : undefined,
      })),
    });
    const names = (await streamNamesFor(src))!;
    expect(names).toHaveLength(100);
    expect(names[0]).toBe("server/prefect-server/t3"); // most recent event first
    expect(names[1]).toBe("server/prefect-server/t119"); // then the newest streams
    expect(names).not.toContain("server/prefect-server/t0");
    expect(cwl.commandCalls(DescribeLogStreamsCommand)[0]!.args[0].input).toMatchObject({
      logGroupName: "/ecs/prefect-prod",
      logStreamNamePrefix: "server/",
    });
  });

  it("CloudWatch's own message for a rejected filter pattern goes to the filter box (400, field filter)", async () => {
    const res = awsFailure(
      new ConsoleAwsError(
        "AWS rejected logs:FilterLogEvents on /ecs/prefect-prod: Invalid character(s) in term '::'",
        "invalid",
        false,
        "InvalidParameterException",
      ),
    );
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      error: "AWS rejected logs:FilterLogEvents on /ecs/prefect-prod: Invalid character(s) in term '::'",
      field: "filter",
    });
    expect(awsFailure(new ConsoleAwsError("throttled", "throttled", true, "ThrottlingException")).status).toBe(429);
  });
});
