// CloudWatch Logs: FilterLogEvents honours logStreamNamePrefix as CloudWatch does (moto ignores it and searches
// every stream): the prefix is expanded here to the matching stream names (DescribeLogStreams, paginated) and the
// logGroupIdentifier form (name or ARN, which moto rejects) is accepted.
// https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
import { DescribeLogStreamsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { jsonError, jsonResponse } from "./protocol";
import type { RewriterTable } from "./types";

/** `arn:aws:logs:region:account:log-group:NAME[:*]` or a plain name → the group name. */
export function logGroupNameOf(identifier: string): string {
  const m = /^arn:[^:]+:logs:[^:]*:[^:]*:log-group:(.+?)(?::\*)?$/.exec(identifier);
  return m?.[1] ?? identifier;
}

export const logsRewriters: RewriterTable = {
  "logs:FilterLogEvents": {
    async before(env, call) {
      const q = { ...(call.req.json ?? {}) };
      if (typeof q.logGroupIdentifier === "string") {
        if (typeof q.logGroupName === "string")
          return jsonError(call.req, 400, "InvalidParameterException", "LogGroup name and LogGroup ARN are mutually exclusive parameters.");
        q.logGroupName = logGroupNameOf(q.logGroupIdentifier);
        delete q.logGroupIdentifier;
      }
      const prefix = q.logStreamNamePrefix;
      if (typeof prefix === "string") {
        if (Array.isArray(q.logStreamNames))
          return jsonError(
            call.req,
            400,
            "InvalidParameterException",
            "logStreamNames and logStreamNamePrefix are mutually exclusive parameters.",
          );
        const names: string[] = [];
        let token: string | undefined;
        for (let i = 0; i < 1000; i++) {
          const r = await env.moto.logs.send(
            new DescribeLogStreamsCommand({ logGroupName: String(q.logGroupName ?? ""), logStreamNamePrefix: prefix, nextToken: token }),
          );
          names.push(...(r.logStreams ?? []).map((s) => s.logStreamName ?? "").filter(Boolean));
          token = r.nextToken;
          if (!token) break;
        }
        // No stream has the prefix: nothing to search (moto would search every stream of the group).
        if (names.length === 0) return jsonResponse(call.req, { events: [], searchedLogStreams: [] });
        delete q.logStreamNamePrefix;
        q.logStreamNames = names;
      }
      call.body = Buffer.from(JSON.stringify(q));
    },
  },
};
