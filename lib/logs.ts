// Isomorphic log-viewer types and pure helpers, shared by the route handlers (server) and the viewer (browser).
// No zod here: this module is in the viewer's bundle. The query schemas are in lib/schemas/logs.ts.

/** One log line as the browser sees it. `id` is unique per line (CloudWatch eventId, or a content hash for Live Tail). */
export interface LogLine {
  id: string;
  ts: number;
  stream: string;
  message: string;
}

export const LOG_SOURCES = ["all", "server", "worker", "task"] as const;
export type LogSourceKind = (typeof LOG_SOURCES)[number];

/** Named ranges; "custom" uses start/end. */
export const LOG_RANGES = ["5m", "15m", "1h", "6h", "24h", "custom"] as const;
export type LogRange = (typeof LOG_RANGES)[number];
export const RANGE_MS: Record<Exclude<LogRange, "custom">, number> = {
  "5m": 5 * 60_000,
  "15m": 15 * 60_000,
  "1h": 3_600_000,
  "6h": 6 * 3_600_000,
  "24h": 24 * 3_600_000,
};

/**
 * A structural check of CloudWatch filter pattern syntax (terms, "quoted phrases", { JSON selectors },
 * [ space-delimited fields ], %regex%), so an obviously malformed pattern gets a message next to the filter box
 * without an AWS call. It is deliberately lenient: anything it lets through is still judged by CloudWatch, whose own
 * error is shown the same way.
 */
export function filterPatternProblem(pattern: string): string | undefined {
  const p = pattern.trim();
  if (p === "") return undefined;
  let quotes = 0;
  let percents = 0;
  const stack: string[] = [];
  const pairs: Record<string, string> = { "}": "{", "]": "[", ")": "(" };
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === "\\") {
      i++;
      continue;
    }
    if (c === '"') {
      quotes++;
      continue;
    }
    if (quotes % 2 === 1) continue; // inside a quoted phrase anything goes
    if (c === "%") percents++;
    if (percents % 2 === 1) continue; // inside a %regex%
    if (c === "{" || c === "[" || c === "(") stack.push(c);
    else if (c === "}" || c === "]" || c === ")") {
      if (stack.pop() !== pairs[c]) return `Invalid filter pattern: unexpected "${c}" at position ${i + 1}.`;
    }
  }
  if (quotes % 2 === 1) return "Invalid filter pattern: a double quote is not closed.";
  if (percents % 2 === 1) return "Invalid filter pattern: a %regular expression% is not closed.";
  if (stack.length > 0) return `Invalid filter pattern: "${stack[stack.length - 1]}" is not closed.`;
  if (p.startsWith("{")) {
    if (!p.endsWith("}")) return "Invalid filter pattern: a JSON pattern must be wrapped in { }.";
    if (!/\$[.[]/.test(p)) return 'Invalid filter pattern: a JSON pattern needs a selector such as $.level, e.g. { $.level = "ERROR" }.';
    if (!/(=|!=|<|>|\bIS\b|\bNOT\s+EXISTS\b)/i.test(p))
      return 'Invalid filter pattern: a JSON pattern needs a comparison, e.g. { $.level = "ERROR" }.';
  } else if (p.startsWith("[") && !p.endsWith("]")) return "Invalid filter pattern: a space-delimited pattern must be wrapped in [ ].";
  return undefined;
}

/** SSE ids are `<ts>.<eventId>`: meaningful across reader restarts, so a reconnect can resume by time. */
export function encodeLineId(line: Pick<LogLine, "ts" | "id">): string {
  return `${line.ts}.${line.id}`;
}

export function decodeLineId(raw: string): { ts: number; id: string } | undefined {
  const m = /^(\d{1,16})\.([A-Za-z0-9:_-]{1,160})$/.exec(raw);
  if (!m) return undefined;
  return { ts: Number(m[1]), id: m[2]! };
}

/** Validates a time range against the clock: a message for the user, or undefined when it is fine. */
export function rangeProblem(start: number, end: number, now = Date.now()): string | undefined {
  if (!(end > start)) return "The range ends before it starts. Pick an end time after the start time.";
  // A minute of slack for clocks that disagree a little.
  if (start > now + 60_000) return "The range starts in the future; there are no logs there yet.";
  if (end - start > 31 * 24 * 3_600_000) return "Pick a range of at most 31 days.";
  return undefined;
}
