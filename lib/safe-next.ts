/** Where to go after signing in: only a same-site relative path (never an open redirect), else the stacks list. */
export function safeNextPath(next: unknown): string {
  return typeof next === "string" && next.length <= 2000 && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : "/stacks";
}
