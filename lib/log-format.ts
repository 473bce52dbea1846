// Isomorphic, pure helpers for rendering log lines: level detection (colouring), JSON detection (pretty-print on
// expand), highlight splitting, timestamps in UTC or the viewer's zone, stream labels and plain-text export.
import type { LogLine } from "./logs";

export type LogLevel = "error" | "warn" | "info" | "debug" | undefined;

const LEVEL_WORD = /\b(CRITICAL|FATAL|ERROR|EXCEPTION|Traceback|WARNING|WARN|INFO|DEBUG|TRACE)\b/;
const JSON_LEVEL = /"(?:level|levelname|severity|lvl)"\s*:\s*"([A-Za-z]+)"/;

/** The line's level from a JSON `level` field or the first level word near the start (Python/Prefect style). */
export function levelOf(message: string): LogLevel {
  const head = message.length > 300 ? message.slice(0, 300) : message;
  const word = JSON_LEVEL.exec(head)?.[1] ?? LEVEL_WORD.exec(head)?.[1];
  if (!word) return undefined;
  switch (word.toUpperCase()) {
    case "CRITICAL":
    case "FATAL":
    case "ERROR":
    case "EXCEPTION":
    case "TRACEBACK":
    case "ERR":
      return "error";
    case "WARNING":
    case "WARN":
      return "warn";
    case "INFO":
      return "info";
    case "DEBUG":
    case "TRACE":
      return "debug";
    default:
      return undefined;
  }
}

/** Pretty JSON for a line that is a JSON object/array, else undefined. */
export function prettyJson(message: string): string | undefined {
  const t = message.trim();
  if (!(t.startsWith("{") && t.endsWith("}")) && !(t.startsWith("[") && t.endsWith("]"))) return undefined;
  try {
    return JSON.stringify(JSON.parse(t), null, 2);
  } catch {
    return undefined;
  }
}

/** Splits text into alternating [plain, match, plain, match, …] parts for a case-insensitive needle. */
export function highlightParts(text: string, needle: string): string[] {
  if (!needle) return [text];
  const parts: string[] = [];
  const hay = text.toLowerCase();
  const n = needle.toLowerCase();
  let from = 0;
  for (let i = hay.indexOf(n); i >= 0; i = hay.indexOf(n, i + n.length)) {
    parts.push(text.slice(from, i), text.slice(i, i + n.length));
    from = i + n.length;
  }
  parts.push(text.slice(from));
  return parts;
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `2026-11-29 16:40:01.123` in UTC or local time (the column header says which). */
export function formatLogTime(ts: number, zone: "utc" | "local"): string {
  const d = new Date(ts);
  if (zone === "utc") return d.toISOString().replace("T", " ").replace("Z", "");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** `server/prefect-server/0123abcd…` → { prefix: "server", taskId: "0123abcd…" } (the awslogs naming). */
export function parseStream(stream: string): { prefix: string; container?: string; taskId?: string } {
  const parts = stream.split("/");
  if (parts.length >= 3) return { prefix: parts[0]!, container: parts[1], taskId: parts[parts.length - 1] };
  return { prefix: stream };
}

export function streamLabel(stream: string): string {
  const p = parseStream(stream);
  return p.taskId ? `${p.prefix}/${p.taskId.slice(0, 8)}` : stream;
}

/** Plain-text export, one line per event: `<ISO time> <stream> <message>`. */
export function linesToText(lines: readonly LogLine[]): string {
  let out = "";
  for (const l of lines) out += `${new Date(l.ts).toISOString()} ${l.stream} ${l.message.replace(/\n+$/, "")}\n`;
  return out;
}
