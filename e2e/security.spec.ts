import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { PUBLIC_ENDPOINTS, PUBLIC_PAGES, pageFiles, routeFiles, urlFor } from "../test/security/app-files";
import { storageState } from "./constants";

// Enumerates every page and route handler in app/ (so a new one can't be forgotten) and checks that the server
// itself refuses anonymous access: once with no cookie (stopped by proxy.ts) and once with a forged cookie
// (which passes proxy.ts, so the page or handler's own check must refuse).
const pages = [...new Set(pageFiles().map(urlFor))].filter((u) => !PUBLIC_PAGES.has(u));
const allRoutes = routeFiles().map((f) => ({
  url: urlFor(f),
  methods: [...fs.readFileSync(f, "utf8").matchAll(/export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!),
}));
// The health probes are public on purpose (checked below: they answer without a session and say nothing).
const routes = allRoutes.filter((r) => !PUBLIC_ENDPOINTS.has(r.url));
const publicRoutes = allRoutes.filter((r) => PUBLIC_ENDPOINTS.has(r.url));

test("the app has pages to check", () => {
  expect(pages).toContain("/stacks");
  expect(pages).toContain("/users");
});

for (const forged of [false, true]) {
  test.describe(forged ? "with a forged session cookie" : "anonymous", () => {
    for (const url of pages) {
      test(`page ${url} sends the visitor to sign in`, async ({ request }) => {
        const res = await request.get(url, { headers: forged ? { cookie: "pec_session=forged-token-value" } : {}, maxRedirects: 0 });
        // A redirect before streaming starts is an HTTP 307; once a page streams, Next redirects with a meta refresh.
        if (res.status() === 200) expect(await res.text()).toMatch(/http-equiv="refresh" content="\d+;url=\/login/);
        else {
          expect([303, 307, 308]).toContain(res.status());
          expect(res.headers()["location"]).toMatch(/\/login/);
        }
        expect(await res.text()).not.toContain("Sign out");
      });
    }

    for (const { url, methods } of routes) {
      for (const method of methods) {
        test(`${method} ${url} answers 401`, async ({ request }) => {
          const res = await request.fetch(url, {
            method,
            headers: forged ? { cookie: "pec_session=forged-token-value" } : {},
            maxRedirects: 0,
          });
          expect(res.status()).toBe(401);
        });
      }
    }
  });
}

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });
  for (const { url, methods } of routes) {
    for (const method of methods.filter((m) => m !== "GET")) {
      test(`${method} ${url} answers 403`, async ({ request }) => {
        const res = await request.fetch(url, { method, data: {}, maxRedirects: 0 });
        expect(res.status()).toBe(403);
      });
    }
  }
});

test("the only public endpoints are the health probes, GET only, and they say nothing but their status", async ({ request }) => {
  expect(publicRoutes.map((r) => r.url).sort()).toEqual([...PUBLIC_ENDPOINTS].sort());
  for (const { url, methods } of publicRoutes) {
    expect(methods).toEqual(["GET"]);
    const res = await request.get(url, { maxRedirects: 0 });
    expect(res.status()).toBe(200);
    expect(Object.keys((await res.json()) as object)).toEqual(["status"]);
    expect(res.headers()["cache-control"]).toContain("no-store");
  }
});

test("every response carries the security headers", async ({ request }) => {
  const res = await request.get("/login");
  const h = res.headers();
  expect(h["content-security-policy"]).toContain("frame-ancestors 'none'");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-powered-by"]).toBeUndefined();
});
