import fs from "node:fs";
import path from "node:path";
import {
  PUBLIC_ENDPOINTS as publicEndpoints,
  PUBLIC_PAGES as publicPages,
  PUBLIC_SSO_ROUTES as publicSsoRoutes,
} from "../../lib/public-paths";

// Enumerates the app's entry points from the file system, so a new page, route handler or server action is
// covered by the security tests the moment it is added.
const APP = path.resolve(__dirname, "../../app");

function walk(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}

export const appFiles = () => walk(APP);

export function serverActionModules(): string[] {
  return appFiles().filter((f) => /\.(ts|tsx)$/.test(f) && /^\s*["']use server["']/.test(fs.readFileSync(f, "utf8")));
}

/** `app/(console)/stacks/[env]/page.tsx` → `/stacks/production` (dynamic segments filled with plausible values). */
export function urlFor(file: string): string {
  const rel = path
    .relative(APP, path.dirname(file))
    .split(path.sep)
    .filter((s) => s && !/^\(.*\)$/.test(s) && !s.startsWith("@"));
  const filled = rel.map((s) => {
    if (/^\[\[?\.\.\./.test(s)) return "x";
    if (/^\[env\]$/.test(s)) return "production";
    if (/^\[.*id\]$/i.test(s)) return "00000000-0000-4000-8000-000000000000";
    if (/^\[.*\]$/.test(s)) return "x";
    return s;
  });
  return "/" + filled.join("/");
}

export const pageFiles = () => appFiles().filter((f) => /[/\\]page\.tsx?$/.test(f));
export const routeFiles = () => appFiles().filter((f) => /[/\\]route\.tsx?$/.test(f));

/** Pages anyone may open (the way in) and endpoints anyone may call (health probes). Everything else needs a session. */
export const PUBLIC_PAGES = new Set<string>(publicPages);
export const PUBLIC_ENDPOINTS = new Set<string>(publicEndpoints);
/** Route handlers anyone may call: single sign-on's start and the provider's redirect back (they create sessions). */
export const PUBLIC_ROUTES = new Set<string>(publicSsoRoutes);
/** Actions anyone may call: signing in and the one-time first admin. Both refuse invalid input and existing users. */
export const PUBLIC_ACTIONS = new Set(["login", "setupAdmin"]);
