import "server-only";
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  StartLiveTailCommand,
  type StartLiveTailResponseStream,
} from "@aws-sdk/client-cloudwatch-logs";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin CloudWatch Logs wrappers (only the commands the console uses). They return our own small shapes, so
// server/logs never touches SDK types. Several engineers may add functions here: add, don't restructure.
//
// Limits worth knowing (AWS docs, "CloudWatch Logs quotas"):
// - FilterLogEvents: ~10 TPS per account and region (shared by every caller!), ≤ 10,000 events / 1 MB per page,
//   ≤ 100 logStreamNames per call; logStreamNames and logStreamNamePrefix are mutually exclusive.
// - StartLiveTail: ≤ 15 concurrent sessions per account, sessions end after 3 h, results are pushed about once a
//   second and are *sampled* above ~500 events/s.
// - DescribeLogStreams: 5 TPS per account and region, ≤ 50 streams per page.
// moto: FilterLogEvents ignores logStreamNamePrefix (the sandbox's proxy honours it, as CloudWatch does) and rejects
// logGroupIdentifier (we pass logGroupName); the sandbox's AWS proxy answers StartLiveTail itself (moto has no Live Tail).

const logs = (region: string) => awsClient(CloudWatchLogsClient, region);
// StartLiveTail gets one attempt: the SDK would retry LimitExceededException (the 15-session quota) as throttling for
// seconds, while the caller's answer to any failure is to poll FilterLogEvents instead.
const liveTailLogs = (region: string) => awsClient(CloudWatchLogsClient, region, { maxAttempts: 1 });

/** One log event as the console uses it. `id` is CloudWatch's eventId (unique within the log group). */
export interface RawLogEvent {
  id: string;
  ts: number;
  ingest: number;
  stream: string;
  message: string;
}

export interface FilterPage {
  events: RawLogEvent[];
  nextToken: string | undefined;
}

export interface FilterQuery {
  logGroupName: string;
  /** ≤ 100 names. Undefined = every stream of the group (or of the prefix). */
  logStreamNames?: string[];
  /** Every stream whose name starts with this, however many (exclusive with logStreamNames). */
  logStreamNamePrefix?: string;
  startTime: number;
  endTime?: number;
  /** CloudWatch filter pattern syntax, passed through unchanged. */
  filterPattern?: string;
  nextToken?: string;
  limit?: number;
}

// aws logs filter-log-events --log-group-name G [--log-stream-names S… | --log-stream-name-prefix P] --start-time T [--end-time T]
//   [--filter-pattern P] [--next-token N] --interleaved   (≤ 10,000 events per page; ~10 TPS per account+region)
export async function filterLogEvents(region: string, q: FilterQuery): Promise<FilterPage> {
  if (q.logStreamNames && q.logStreamNames.length > 100) throw new Error("filterLogEvents: at most 100 log stream names per call");
  if (q.logStreamNames?.length && q.logStreamNamePrefix) throw new Error("filterLogEvents: stream names and a name prefix are exclusive");
  const out = await aws("logs:FilterLogEvents", q.logGroupName, () =>
    logs(region).send(
      new FilterLogEventsCommand({
        logGroupName: q.logGroupName,
        ...(q.logStreamNames && q.logStreamNames.length > 0 ? { logStreamNames: q.logStreamNames } : {}),
        ...(q.logStreamNamePrefix ? { logStreamNamePrefix: q.logStreamNamePrefix } : {}),
        startTime: q.startTime,
        ...(q.endTime !== undefined ? { endTime: q.endTime } : {}),
        ...(q.filterPattern ? { filterPattern: q.filterPattern } : {}),
        ...(q.nextToken ? { nextToken: q.nextToken } : {}),
        limit: q.limit ?? 10_000,
        // Deprecated on AWS (always interleaved there) but moto needs it to merge streams by time.
        interleaved: true,
      }),
    ),
  );
  const events: RawLogEvent[] = [];
  for (const e of out.events ?? []) {
    if (e.eventId === undefined || e.timestamp === undefined) continue;
    events.push({
      id: e.eventId,
      ts: e.timestamp,
      ingest: e.ingestionTime ?? e.timestamp,
      stream: e.logStreamName ?? "",
      message: e.message ?? "",
    });
  }
  return { events, nextToken: out.nextToken || undefined };
}

export interface LogStreamInfo {
  name: string;
  createdAt: number;
  /** Eventually consistent on AWS (can lag by up to an hour): use for ordering, never for correctness. */
  lastEventAt: number | undefined;
}

// aws logs describe-log-streams --log-group-name G --log-stream-name-prefix P  (≤ 50 per page; 5 TPS per account)
// With a prefix AWS can only order by name, so the caller sorts by recency itself. `maxPages` bounds the walk.
export async function describeLogStreams(
  region: string,
  logGroupName: string,
  opts: { prefix?: string; maxPages?: number } = {},
): Promise<LogStreamInfo[]> {
  const streams: LogStreamInfo[] = [];
  let nextToken: string | undefined;
  const maxPages = opts.maxPages ?? 20;
  for (let page = 0; page < maxPages; page++) {
    const out = await aws("logs:DescribeLogStreams", logGroupName, () =>
      logs(region).send(
        new DescribeLogStreamsCommand({
          logGroupName,
          ...(opts.prefix ? { logStreamNamePrefix: opts.prefix } : { orderBy: "LastEventTime", descending: true }),
          ...(nextToken ? { nextToken } : {}),
          limit: 50,
        }),
      ),
    );
    for (const s of out.logStreams ?? []) {
      if (!s.logStreamName) continue;
      streams.push({ name: s.logStreamName, createdAt: s.creationTime ?? 0, lastEventAt: s.lastEventTimestamp });
    }
    nextToken = out.nextToken || undefined;
    if (!nextToken) break;
  }
  return streams;
}

// aws logs describe-log-groups --log-group-name-prefix G  → the group's ARN (StartLiveTail wants ARNs), or undefined.
export async function logGroupArn(region: string, logGroupName: string): Promise<string | undefined> {
  const out = await aws("logs:DescribeLogGroups", logGroupName, () =>
    logs(region).send(new DescribeLogGroupsCommand({ logGroupNamePrefix: logGroupName, limit: 5 })),
  );
  const g = (out.logGroups ?? []).find((x) => x.logGroupName === logGroupName);
  if (!g) return undefined;
  return g.logGroupArn ?? g.arn?.replace(/:\*$/, "");
}

export type LiveTailMessage =
  | { kind: "start"; sessionId: string | undefined }
  | { kind: "update"; sampled: boolean; events: Omit<RawLogEvent, "id">[] }
  | { kind: "end"; reason: string };

// aws logs start-live-tail --log-group-identifiers ARN [--log-stream-name-prefixes P…] [--log-event-filter-pattern P]
// (≤ 15 concurrent sessions per account; a session lasts ≤ 3 h; updates about once a second; sampled > 500 events/s).
// Yields our own messages; the abort signal ends the session (and the HTTP/2 stream) when the reader stops.
export async function* startLiveTail(
  region: string,
  q: { logGroupArn: string; logStreamNames?: string[]; logStreamNamePrefixes?: string[]; filterPattern?: string },
  signal: AbortSignal,
): AsyncGenerator<LiveTailMessage> {
  const out = await aws("logs:StartLiveTail", q.logGroupArn, () =>
    liveTailLogs(region).send(
      new StartLiveTailCommand({
        logGroupIdentifiers: [q.logGroupArn],
        ...(q.logStreamNames?.length ? { logStreamNames: q.logStreamNames } : {}),
        ...(!q.logStreamNames?.length && q.logStreamNamePrefixes?.length ? { logStreamNamePrefixes: q.logStreamNamePrefixes } : {}),
        ...(q.filterPattern ? { logEventFilterPattern: q.filterPattern } : {}),
      }),
      { abortSignal: signal },
    ),
  );
  if (!out.responseStream) throw new Error("StartLiveTail answered without a response stream");
  try {
    for await (const m of out.responseStream as AsyncIterable<StartLiveTailResponseStream>) {
      if (m.sessionStart) yield { kind: "start", sessionId: m.sessionStart.sessionId };
      else if (m.sessionUpdate) {
        yield {
          kind: "update",
          sampled: Boolean(m.sessionUpdate.sessionMetadata?.sampled),
          events: (m.sessionUpdate.sessionResults ?? []).map((e) => ({
            ts: e.timestamp ?? 0,
            ingest: e.ingestionTime ?? e.timestamp ?? 0,
            stream: e.logStreamName ?? "",
            message: e.message ?? "",
          })),
        };
      } else if (m.SessionTimeoutException) {
        yield { kind: "end", reason: m.SessionTimeoutException.message ?? "Live Tail session timed out" };
        return;
      } else if (m.SessionStreamingException) {
        throw new Error(m.SessionStreamingException.message ?? "Live Tail streaming failed");
      }
    }
  } catch (err) {
    // The SDK's decoder throws the stream's modeled exceptions (`:message-type: exception`) rather than yielding
    // them. The 3-hour timeout is a normal end: the caller starts the next session.
    if (err instanceof Error && err.name === "SessionTimeoutException") {
      yield { kind: "end", reason: err.message || "Live Tail session timed out" };
      return;
    }
    throw err;
  }
  yield { kind: "end", reason: "Live Tail stream ended" };
}
