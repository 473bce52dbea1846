import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { z } from "zod";
import { LogViewer, type TaskOption } from "@/components/logs/log-viewer";
import { requireUser } from "@/server/auth/current";
import { NotFoundError, safeMessage } from "@/server/errors";
import { db } from "@/server/db";
import { listTaskChoices, resolveSource } from "@/server/logs/sources";
import { getStack } from "@/server/stack/registry";
import { ENV_NAME_PATTERN, stackNames } from "@/lib/names";
import { LOG_RANGES, LOG_SOURCES, rangeProblem } from "@/lib/logs";
import { taskIdSchema } from "@/lib/schemas/logs";

// /stacks/<env>/logs?source=all|server|worker|task&task=<id>&filter=<pattern>&range=5m|…|custom&start=<ISO>&end=<ISO>&at=<ISO>
// `at` is what alarms link to: the lines around the moment it fired, with that moment marked.

export async function generateMetadata({ params }: { params: Promise<{ env: string }> }): Promise<Metadata> {
  const { env } = await params;
  return { title: `Logs · ${env.slice(0, 20)}` };
}

const iso = z
  .string()
  .max(40)
  .pipe(z.coerce.date())
  .transform((d) => d.getTime());
const query = z.object({
  source: z.enum(LOG_SOURCES).catch("all"),
  task: taskIdSchema.optional().catch(undefined),
  // Not judged here: the viewer sends it to the history route, whose message (ours or CloudWatch's) goes next to the filter box.
  filter: z.string().max(1024).catch(""),
  range: z.enum(LOG_RANGES).catch("5m"),
  start: iso.optional().catch(undefined),
  end: iso.optional().catch(undefined),
  at: iso.optional().catch(undefined),
});

const AT_BEFORE_MS = 15 * 60_000;
const AT_AFTER_MS = 5 * 60_000;

export default async function LogsPage({
  params,
  searchParams,
}: {
  params: Promise<{ env: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  await requireUser();
  const { env } = await params;
  if (!ENV_NAME_PATTERN.test(env)) notFound();
  const stack = await getStack(await db(), env);
  if (!stack || stack.status === "destroyed") notFound();

  const raw = await searchParams;
  const str = (k: string) => (typeof raw[k] === "string" && raw[k] !== "" ? (raw[k] as string) : undefined);
  const q = query.parse({
    source: str("source"),
    task: str("task"),
    filter: str("filter") ?? "",
    range: str("range"),
    start: str("start"),
    end: str("end"),
    at: str("at"),
  });

  let problem: string | undefined;
  if (str("at") && q.at === undefined)
    problem = `“${str("at")!.slice(0, 40)}” is not a time; use an ISO time such as 2026-01-31T12:00:00Z.`;
  if (q.range === "custom" && q.at === undefined) {
    if (q.start === undefined || q.end === undefined) problem = "Pick both a start and an end time for a custom range.";
    else problem = rangeProblem(q.start, q.end);
  }
  if (q.at !== undefined) problem = rangeProblem(q.at - AT_BEFORE_MS, q.at + AT_AFTER_MS);

  // One task: it must exist in the stack's cluster and log with awslogs — otherwise this is a 404, like a bad URL.
  if (q.source === "task") {
    if (!q.task) notFound();
    try {
      await resolveSource(stack, { source: "task", task: q.task });
    } catch (err) {
      if (err instanceof NotFoundError) notFound();
      problem = safeMessage(err, "Finding the task's log streams");
    }
  }

  let tasks: TaskOption[] = [];
  let tasksError: string | undefined;
  try {
    tasks = (await listTaskChoices(stack)).map((t) => ({ taskId: t.taskId, service: t.service, lastStatus: t.lastStatus }));
  } catch (err) {
    tasksError = safeMessage(err, "Listing the tasks");
  }

  const names = stackNames(env);
  const window =
    q.at !== undefined
      ? { start: q.at - AT_BEFORE_MS, end: q.at + AT_AFTER_MS }
      : q.range === "custom"
        ? { start: q.start, end: q.end }
        : {};
  // Remount the viewer whenever what it reads changes: a clean buffer, a fresh stream.
  const key = JSON.stringify([q.source, q.task, q.filter, q.range, window.start, window.end, q.at]);
  return (
    <>
      {/* The stack layout (ops) shows the stack's name, state and tabs; this line says what the viewer reads. */}
      <p className="mb-2 text-xs text-muted-foreground">
        Log group <code className="font-mono">{names.logGroup}</code> in {stack.region}
        {q.at !== undefined ? (
          <>
            {" "}
            · lines around{" "}
            {new Date(q.at)
              .toISOString()
              .replace("T", " ")
              .replace(/\.\d+Z$/, " UTC")}{" "}
            (marked)
          </>
        ) : null}
      </p>
      <LogViewer
        key={key}
        env={env}
        source={q.source}
        task={q.task}
        filter={q.filter}
        range={q.at !== undefined ? "custom" : q.range}
        start={window.start}
        end={window.end}
        at={q.at}
        tasks={tasks}
        tasksError={tasksError}
        problem={problem}
      />
    </>
  );
}
