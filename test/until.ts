// The one polling helper for tests: calls `fn` until it returns something other than undefined/false, or fails
// after `timeoutMs` naming what it waited for (and, in the integration project, what the sandbox's simulator was
// doing — its last tick error is usually the reason).

export async function until<T>(
  what: string,
  fn: () => T | undefined | false | Promise<T | undefined | false>,
  timeoutMs = 60_000,
  everyMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ""}${await sandboxState()}`);
}

async function sandboxState(): Promise<string> {
  const url = process.env.SANDBOX_ADMIN_URL;
  if (!url) return "";
  const state = (await fetch(`${url}/state`)
    .then((r) => r.json())
    .catch(() => undefined)) as { ticks?: number; lastTickError?: string | null } | undefined;
  return ` (sandbox ticks ${state?.ticks}, last tick error: ${state?.lastTickError ?? "none"})`;
}
