import "server-only";

/**
 * A 303 to a path on this console. The Location stays relative: the browser resolves it against the address it used,
 * whereas the request URL a route handler sees carries the host Next listens on (e.g. localhost behind 127.0.0.1).
 */
export function seeOther(path: string): Response {
  return new Response(null, { status: 303, headers: { Location: path } });
}
