// Isomorphic: one line of the new-stack page's account preflight (a tick, or what to do).
export interface PreflightLine {
  key: string;
  /** "ok": a green tick; "todo": will happen on apply (amber); "fail": must be fixed first (red). */
  state: "ok" | "todo" | "fail";
  label: string;
  detail: string;
}
