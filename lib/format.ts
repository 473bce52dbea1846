// Isomorphic formatting: numbers with units, relative times (the absolute time goes in a title/tooltip).

// A time in the future (clock skew between AWS and this machine, or a sandbox's scaled clock) reads "just now":
// everything shown is something that already happened.
export function formatRelative(ms: number, now = Date.now()): string {
  const abs = Math.max(0, Math.round((now - ms) / 1000));
  if (abs < 5) return "just now";
  if (abs < 60) return `${abs}s ago`;
  if (abs < 3600) return `${Math.floor(abs / 60)}m ago`;
  if (abs < 86_400) return `${Math.floor(abs / 3600)}h ago`;
  return `${Math.floor(abs / 86_400)}d ago`;
}

export function formatAbsolute(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace("T", " ")
    .replace(/\.\d+Z$/, " UTC");
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}

export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
}

export function formatPercent(v: number, digits = 1): string {
  return `${v.toFixed(digits)} %`;
}

export function formatUsd(v: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", maximumFractionDigits: v < 100 ? 2 : 0 }).format(v);
}
