// Isomorphic: `<input type="datetime-local">` values ("2026-01-02T03:04", no zone) ⇄ epoch ms, read in UTC or in
// the browser's local zone.

export type Zone = "utc" | "local";

export function toDatetimeInput(ms: number, zone: Zone): string {
  const d = new Date(zone === "utc" ? ms : ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
}

export function fromDatetimeInput(value: string, zone: Zone): number | undefined {
  if (!value) return undefined;
  const ms = zone === "utc" ? Date.parse(`${value}:00Z`) : new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}
