import { linesToText } from "@/lib/log-format";
import type { LogLine } from "@/lib/logs";

function click(href: string, filename: string) {
  const a = document.createElement("a");
  a.href = href;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
}

/** Saves the lines loaded in the viewer as a text file, e.g. `production-worker-0a1b2c3d-20260102T030405123Z.log`. */
export function downloadLoadedLines(lines: readonly LogLine[], name: { env: string; source: string; task?: string }) {
  const url = URL.createObjectURL(new Blob([linesToText(lines)], { type: "text/plain;charset=utf-8" }));
  const stamp = new Date().toISOString().replace(/[:.]/g, "");
  click(url, `${name.env}-${name.source}${name.task ? `-${name.task.slice(0, 8)}` : ""}-${stamp}.log`);
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Every line of the range from CloudWatch: the route answers with an attachment, so the page stays where it is. */
export function downloadRange(env: string, params: URLSearchParams) {
  click(`/api/stacks/${encodeURIComponent(env)}/logs/download?${params}`, "");
}
