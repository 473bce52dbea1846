import { z } from "zod";
import { filterPatternProblem, LOG_SOURCES } from "@/lib/logs";

// Query schemas of the log routes and the logs page (server side; kept out of lib/logs.ts so zod stays out of the
// viewer's bundle).

/** CloudWatch allows filter patterns up to 1,024 characters; control characters are never meaningful in one. */
export const filterPatternSchema = z
  .string()
  .max(1024, "A filter pattern is at most 1,024 characters.")
  .regex(/^[^\u0000-\u0008\u000b-\u001f\u007f]*$/, "The filter pattern contains control characters.")
  .superRefine((v, ctx) => {
    const problem = filterPatternProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** ECS task ids: 32 hex characters on AWS (older tasks: a UUID). */
export const taskIdSchema = z.string().regex(/^[A-Za-z0-9-]{8,64}$/, "Not an ECS task id.");

const epochMs = z.coerce.number().int().min(0).max(8_640_000_000_000);

export const sourceQuerySchema = z
  .object({
    source: z.enum(LOG_SOURCES).default("all"),
    task: taskIdSchema.optional(),
    filter: filterPatternSchema.default(""),
  })
  .refine((q) => q.source !== "task" || q.task !== undefined, { message: "Pick a task.", path: ["task"] });

/** Query of the live-tail SSE route. `since` = where to start when there is no Last-Event-ID. */
export const streamQuerySchema = z.intersection(
  sourceQuerySchema,
  z.object({ since: epochMs.optional(), lastEventId: z.string().max(200).optional() }),
);

/** Query of the history route: newest `limit` lines in [start, end), or, with `cursor`, the page just older. */
export const historyQuerySchema = z.intersection(
  sourceQuerySchema,
  z
    .object({
      start: epochMs,
      end: epochMs,
      limit: z.coerce.number().int().min(1).max(5_000).default(1_000),
      cursor: z.string().max(4_000).optional(),
    })
    .refine((q) => q.end > q.start, { message: "The range ends before it starts.", path: ["end"] }),
);
