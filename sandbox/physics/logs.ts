// Every running task writes lines into its container's awslogs group and `<prefix>/<container>/<taskId>` stream,
// at the configured rate (lines per task per real second; fractional rates accumulate). One PutLogEvents per
// stream per tick keeps thousands of lines a second affordable.
import { CreateLogGroupCommand, CreateLogStreamCommand, PutLogEventsCommand, type InputLogEvent } from "@aws-sdk/client-cloudwatch-logs";
import type { MotoClients } from "../clients";
import type { ContainerInfo, SimTask, World } from "../world";
import { commandWords, isServerCommand, parseWorkerCommand, workerDisplayName } from "./commands";
import {
  crashLines,
  nextLine,
  serverBanner,
  shutdownLines,
  workerApiErrorLine,
  workerBanner,
  type LineContext,
  type LogKind,
} from "./log-lines";
import { apiUrlOf } from "./reachability";

const MAX_PER_TICK_PER_STREAM = 9_000; // PutLogEvents allows 10,000 events per call

export class LogPhysics {
  private lastAt = new Map<string, number>();
  private groupsReady = new Set<string>();

  constructor(
    private world: World,
    private c: MotoClients,
  ) {}

  async tick(now: number): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const t of this.world.tasks.values()) {
      const started = t.startedAt !== undefined;
      const active = t.phase === "RUNNING" || t.phase === "DEACTIVATING";
      const ending = started && !active && !t.shutdownWritten;
      if (!started || (!active && !ending)) continue;
      for (const c of t.td.containers) {
        if (!c.logGroup) continue;
        const lines = this.linesFor(t, c, now, ending);
        if (lines.length > 0) jobs.push(this.put(t, c, lines));
      }
      if (ending) t.shutdownWritten = true;
      // Run a few streams at a time.
      if (jobs.length >= 16) await Promise.allSettled(jobs.splice(0));
    }
    await Promise.allSettled(jobs);
  }

  private linesFor(t: SimTask, c: ContainerInfo, now: number, ending: boolean): InputLogEvent[] {
    const key = `${t.arn}/${c.name}`;
    const from = this.lastAt.get(key) ?? t.startedAt ?? now;
    this.lastAt.set(key, now);
    const w = parseWorkerCommand(c.command);
    const kind: LogKind = isServerCommand(c.command) ? "server" : w ? "worker" : "other";
    const ctx: LineContext = {
      kind,
      rng: this.world.rng,
      now,
      taskId: t.id,
      pool: w?.pool,
      poolType: w?.type,
      workerName: w ? workerDisplayName(w, t.id) : undefined,
    };
    const out: InputLogEvent[] = [];
    const at = (ms: number, message: string) => out.push({ timestamp: Math.floor(ms), message });
    if (!t.bannerWritten) {
      t.bannerWritten = true;
      const start = t.startedAt ?? now;
      const banner = t.failing
        ? (t.crashLog ?? crashLines(commandWords(c.command)))
        : kind === "server"
          ? serverBanner(start)
          : kind === "worker"
            ? workerBanner(ctx)
            : [];
      banner.forEach((m, i) => at(start + i, m || " "));
    }
    if (ending) {
      if (!t.failing) shutdownLines(kind, now).forEach((m, i) => at(now + i, m));
      return out;
    }
    if (t.failing) return out;
    if (kind === "worker" && t.api && !t.api.reachable) {
      // An unreachable API: Prefect logs the connection error at every heartbeat and does nothing else.
      if (t.api.loggedAt !== t.api.checkedAt) {
        t.api.loggedAt = t.api.checkedAt;
        at(t.api.checkedAt, workerApiErrorLine(ctx, t.api.checkedAt, apiUrlOf(t) ?? "", t.api.error ?? ""));
      }
      t.logCarry = 0;
      return out;
    }
    t.logCarry += (this.world.config.logLinesPerTaskPerSec * Math.max(0, now - from)) / 1000;
    const n = Math.min(MAX_PER_TICK_PER_STREAM, Math.floor(t.logCarry));
    t.logCarry -= n;
    if (t.logCarry > MAX_PER_TICK_PER_STREAM) t.logCarry = 0; // fell behind: drop rather than snowball
    for (let i = 0; i < n; i++) {
      const ms = from + ((now - from) * (i + 1)) / (n + 1);
      at(ms, nextLine(ctx, ms));
    }
    return out;
  }

  private async put(t: SimTask, c: ContainerInfo, events: InputLogEvent[]): Promise<void> {
    const group = c.logGroup ?? "";
    const stream = `${c.logStreamPrefix ? `${c.logStreamPrefix}/` : ""}${c.name}/${t.id}`;
    // Like the awslogs driver: the group must exist unless awslogs-create-group is "true"; the stream is ours.
    if (c.logCreateGroup && !this.groupsReady.has(group)) {
      await this.c.logs.send(new CreateLogGroupCommand({ logGroupName: group })).catch(() => undefined);
      this.groupsReady.add(group);
    }
    const streamKey = `${group}|${stream}`;
    if (!this.groupsReady.has(streamKey)) {
      try {
        await this.c.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      } catch (e) {
        if (!(e instanceof Error && e.name === "ResourceAlreadyExistsException")) return; // no group: nowhere to write
      }
      this.groupsReady.add(streamKey);
    }
    events.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    try {
      await this.c.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: events }));
      this.world.logsWritten({
        group,
        stream,
        events: events.map((e) => ({ timestamp: e.timestamp ?? 0, message: e.message ?? "" })),
        ingestedAt: Date.now(),
      });
    } catch (e) {
      // The product may have deleted the group (destroy): recreate next time.
      this.groupsReady.delete(group);
      this.groupsReady.delete(streamKey);
      this.world.log(`PutLogEvents ${group}/${stream} failed: ${e instanceof Error ? e.name : String(e)}`);
    }
  }
}
