// CloudWatch Logs StartLiveTail, answered by the proxy (moto does not implement it): a real event stream, encoded
// with the SDK's own event-stream codec, fed by every log write the sandbox sees (the simulator's containers and
// PutLogEvents through this proxy). The rules are CloudWatch's (API_StartLiveTail.html, cloudwatch_limits_cwl.html):
// - logGroupIdentifiers: 1–10 log group ARNs (not names, no trailing `*`), each must exist;
// - logStreamNames or logStreamNamePrefixes (≤ 100 each, not both, only with a single log group);
// - logEventFilterPattern in the filter pattern syntax (≤ 1,024 characters), malformed → InvalidParameterException;
// - at most 15 concurrent sessions per account: the 16th → LimitExceededException (before any stream);
// - one `sessionStart`, then one `sessionUpdate` a second (empty when nothing matched: the heartbeat), each with at
//   most 500 events; more than 500 matching events in a second are sampled down and flagged `sampled: true`;
// - after 3 hours (scaled by the sandbox's time scale) a `SessionTimeoutException` ends the stream;
// - `POST /live-tail/interrupt` on the admin endpoint ends every session with a `SessionStreamingException` (the
//   "unknown server-side error" AWS documents), for tests of mid-stream failures.
import { randomUUID } from "node:crypto";
import type http from "node:http";
import { DescribeLogGroupsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { EventStreamCodec } from "@smithy/core/event-streams";
import { fromUtf8, toUtf8 } from "@smithy/core/serde";
import type { LogWrite } from "../world";
import { compileFilterPattern, FilterPatternError } from "./filter-pattern";
import { jsonError, type ErrorResponse } from "./protocol";
import type { ProxyCall, ProxyEnv, RewriterTable } from "./types";

export const LIVE_TAIL_LIMITS = {
  sessionsPerAccount: 15,
  logGroups: 10,
  streamFilters: 100,
  filterPatternChars: 1024,
  sessionSeconds: 3 * 3600,
  eventsPerUpdate: 500,
  updateMs: 1000,
  /** CloudWatch buffers up to 5,000 events for a slow client, then drops the oldest. */
  bufferedEvents: 5000,
} as const;

const ARN = /^arn:aws[\w-]*:logs:[a-z0-9-]+:\d{12}:log-group:([^:*]+)$/;

interface LiveEvent {
  logStreamName: string;
  logGroupIdentifier: string;
  message: string;
  timestamp: number;
  ingestionTime: number;
}

interface Session {
  id: string;
  groups: Map<string, string>; // name → ARN as given
  streams: Set<string> | undefined;
  prefixes: string[] | undefined;
  match: (message: string) => boolean;
  pending: LiveEvent[];
  /** Matching events this second, including those sampled away. */
  matched: number;
  res: http.ServerResponse;
  timers: ReturnType<typeof setTimeout>[];
}

const codec = new EventStreamCodec(toUtf8, fromUtf8);

function frame(headers: Record<string, string>, body: unknown): Uint8Array {
  return codec.encode({
    headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, { type: "string" as const, value: v }])),
    body: fromUtf8(JSON.stringify(body)),
  });
}
const eventFrame = (type: string, body: unknown) =>
  frame({ ":message-type": "event", ":event-type": type, ":content-type": "application/json" }, body);
const exceptionFrame = (type: string, message: string) =>
  frame({ ":message-type": "exception", ":exception-type": type, ":content-type": "application/json" }, { message });

/** Evenly spaced picks: what "sampled down to 500" keeps. */
function sample<T>(xs: T[], n: number): T[] {
  if (xs.length <= n) return xs;
  return Array.from({ length: n }, (_, i) => xs[Math.floor((i * xs.length) / n)]!);
}

export class LiveTailHub {
  readonly sessions = new Map<string, Session>();
  /** Sessions ever started / refused for the quota (the admin endpoint shows them). */
  started = 0;
  refused = 0;
  private readonly unlisten: () => void;

  constructor(private readonly env: ProxyEnv) {
    const listener = (w: LogWrite) => this.publish(w);
    env.world.logListeners.add(listener);
    this.unlisten = () => env.world.logListeners.delete(listener);
  }

  /** Validates the request like CloudWatch; answers an error, or opens the stream on `res`. */
  async start(call: ProxyCall, res: http.ServerResponse): Promise<ErrorResponse | void> {
    const q = call.req.json ?? {};
    const bad = (message: string) => jsonError(call.req, 400, "InvalidParameterException", message);
    const ids = q.logGroupIdentifiers;
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((x) => typeof x === "string"))
      return bad("1 validation error detected: Value null at 'logGroupIdentifiers' failed to satisfy constraint: Member must not be null");
    if (ids.length > LIVE_TAIL_LIMITS.logGroups)
      return bad(`You can include up to ${LIVE_TAIL_LIMITS.logGroups} log groups in a Live Tail session.`);
    const groups = new Map<string, string>();
    for (const id of ids as string[]) {
      const m = ARN.exec(id);
      if (!m) return bad(`Log group identifier ${id} is not a log group ARN (arn:aws:logs:<region>:<account>:log-group:<name>).`);
      groups.set(m[1]!, id);
    }
    const names = q.logStreamNames;
    const prefixes = q.logStreamNamePrefixes;
    const strings = (v: unknown) =>
      Array.isArray(v) &&
      v.length > 0 &&
      v.length <= LIVE_TAIL_LIMITS.streamFilters &&
      v.every((x) => typeof x === "string" && x.length > 0);
    if (names !== undefined && !strings(names)) return bad(`logStreamNames must hold 1–${LIVE_TAIL_LIMITS.streamFilters} names.`);
    if (prefixes !== undefined && !strings(prefixes))
      return bad(`logStreamNamePrefixes must hold 1–${LIVE_TAIL_LIMITS.streamFilters} prefixes.`);
    if (names !== undefined && prefixes !== undefined) return bad("You can't specify both logStreamNames and logStreamNamePrefixes.");
    if ((names !== undefined || prefixes !== undefined) && groups.size !== 1)
      return bad("logStreamNames and logStreamNamePrefixes can be used only with a single log group.");
    const pattern = q.logEventFilterPattern;
    if (pattern !== undefined && (typeof pattern !== "string" || pattern.length > LIVE_TAIL_LIMITS.filterPatternChars))
      return bad(`logEventFilterPattern must be a string of at most ${LIVE_TAIL_LIMITS.filterPatternChars} characters.`);
    let match: (m: string) => boolean;
    try {
      match = compileFilterPattern(pattern);
    } catch (e) {
      if (e instanceof FilterPatternError) return bad(e.message);
      throw e;
    }
    for (const name of groups.keys()) {
      const out = await this.env.moto.logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: name }));
      if (!out.logGroups?.some((g) => g.logGroupName === name))
        return jsonError(call.req, 400, "ResourceNotFoundException", "The specified log group does not exist.");
    }
    if (this.sessions.size >= LIVE_TAIL_LIMITS.sessionsPerAccount) {
      this.refused += 1;
      return jsonError(
        call.req,
        400,
        "LimitExceededException",
        `You have reached the maximum number of concurrent Live Tail sessions (${LIVE_TAIL_LIMITS.sessionsPerAccount}) for this account.`,
      );
    }
    this.open(
      res,
      {
        id: randomUUID(),
        groups,
        streams: names ? new Set(names as string[]) : undefined,
        prefixes: prefixes as string[] | undefined,
        match,
        pending: [],
        matched: 0,
        res,
        timers: [],
      },
      typeof pattern === "string" ? pattern : "",
    );
  }

  private open(res: http.ServerResponse, s: Session, pattern: string): void {
    this.sessions.set(s.id, s);
    this.started += 1;
    res.writeHead(200, {
      "content-type": "application/vnd.amazon.eventstream",
      "x-amzn-requestid": randomUUID(),
      "transfer-encoding": "chunked",
    });
    res.write(
      eventFrame("sessionStart", {
        requestId: randomUUID(),
        sessionId: s.id,
        logGroupIdentifiers: [...s.groups.values()],
        ...(s.streams ? { logStreamNames: [...s.streams] } : {}),
        ...(s.prefixes ? { logStreamNamePrefixes: s.prefixes } : {}),
        logEventFilterPattern: pattern,
      }),
    );
    const tick = setInterval(() => this.flush(s), LIVE_TAIL_LIMITS.updateMs);
    const timeout = setTimeout(
      () => this.end(s.id, "SessionTimeoutException", "Session timed out after 3 hours."),
      this.env.world.scaled(LIVE_TAIL_LIMITS.sessionSeconds),
    );
    s.timers.push(tick, timeout);
    res.on("close", () => this.drop(s.id));
  }

  private flush(s: Session): void {
    const events = s.pending.splice(0);
    const sampled = s.matched > LIVE_TAIL_LIMITS.eventsPerUpdate;
    s.matched = 0;
    events.sort((a, b) => a.ingestionTime - b.ingestionTime || a.timestamp - b.timestamp);
    s.res.write(
      eventFrame("sessionUpdate", {
        sessionMetadata: { sampled },
        sessionResults: sample(events, LIVE_TAIL_LIMITS.eventsPerUpdate),
      }),
    );
  }

  private publish(w: LogWrite): void {
    for (const s of this.sessions.values()) {
      const arn = s.groups.get(w.group);
      if (!arn) continue;
      if (s.streams && !s.streams.has(w.stream)) continue;
      if (s.prefixes && !s.prefixes.some((p) => w.stream.startsWith(p))) continue;
      for (const e of w.events) {
        if (!s.match(e.message)) continue;
        s.matched += 1;
        s.pending.push({
          logStreamName: w.stream,
          logGroupIdentifier: arn,
          message: e.message,
          timestamp: e.timestamp,
          ingestionTime: w.ingestedAt,
        });
      }
      if (s.pending.length > LIVE_TAIL_LIMITS.bufferedEvents) s.pending.splice(0, s.pending.length - LIVE_TAIL_LIMITS.bufferedEvents);
    }
  }

  /** Ends one session from the server side with a modeled stream exception. */
  end(id: string, exception: "SessionTimeoutException" | "SessionStreamingException", message: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.drop(id);
    s.res.end(exceptionFrame(exception, message));
  }

  /** Ends every open session with a SessionStreamingException; returns how many. */
  interruptAll(): number {
    const ids = [...this.sessions.keys()];
    for (const id of ids) this.end(id, "SessionStreamingException", "Internal error: the Live Tail session was interrupted.");
    return ids.length;
  }

  private drop(id: string): void {
    const s = this.sessions.get(id);
    if (!s) return;
    this.sessions.delete(id);
    s.timers.forEach((t) => clearTimeout(t));
  }

  close(): void {
    this.unlisten();
    for (const s of [...this.sessions.values()]) {
      this.drop(s.id);
      s.res.destroy();
    }
  }
}

/** PutLogEvents through the proxy reaches Live Tail sessions once moto has stored it. */
export const liveTailRewriters: RewriterTable = {
  "logs:PutLogEvents": {
    after(env, call, res) {
      const q = call.req.json ?? {};
      if (res.status === 200 && typeof q.logGroupName === "string" && typeof q.logStreamName === "string" && Array.isArray(q.logEvents)) {
        env.world.logsWritten({
          group: q.logGroupName,
          stream: q.logStreamName,
          events: (q.logEvents as { timestamp?: unknown; message?: unknown }[]).map((e) => ({
            timestamp: Number(e.timestamp ?? 0),
            message: String(e.message ?? ""),
          })),
          ingestedAt: call.now,
        });
      }
      return res;
    },
  },
};
