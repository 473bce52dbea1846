// Isomorphic: `<input type="datetime-local">` values ("2026-01-02T03:04", no zone) ⇄ epoch ms, read in UTC or in
// the browser's local zone.

export type Zone = "utc" | "local";

export function toDatetimeInput(ms: number, zone: Zone): string {
  const d = new Date(zone === "utc" ? ms : ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

// What the input yields: minutes, or seconds when the step allows them. Checked first because V8's Date.parse
// reads nearly anything (e.g. "yesterday:00Z" as 2000-01-01).
const DATETIME_LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

export function fromDatetimeInput(value: string, zone: Zone): number | undefined {
  if (!DATETIME_LOCAL.test(value)) return undefined;
  const ms = zone === "utc" ? Date.parse(`${value.length === 16 ? `${value}:00` : value}Z`) : new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
