import fs from "node:fs";
import { expect, test } from "@playwright/test";
import { PUBLIC_ENDPOINTS, PUBLIC_PAGES, PUBLIC_ROUTES, pageFiles, routeFiles, urlFor } from "../test/security/app-files";
import { MAX_REQUEST_BYTES } from "../lib/request-limits";
import { E2E_BASE_URL, storageState } from "./constants";
import { operatorOnlyActions } from "./server-actions";

// Enumerates every page and route handler in app/ (so a new one can't be forgotten) and checks that the server
// itself refuses anonymous access: once with no cookie (stopped by proxy.ts) and once with a forged cookie
// (which passes proxy.ts, so the page or handler's own check must refuse).
const pages = [...new Set(pageFiles().map(urlFor))].filter((u) => !PUBLIC_PAGES.has(u));
const allRoutes = routeFiles()
  .filter((f) => !PUBLIC_ROUTES.has(urlFor(f)))
  .map((f) => ({
    url: urlFor(f),
    methods: [...fs.readFileSync(f, "utf8").matchAll(/export (?:async )?function (GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1]!),
  }));
// Single sign-on's routes are checked on their own below. The health probes are public on purpose (checked below: they answer without a session and say nothing).
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

  // Every server action that needs more than a viewer, called the way a browser calls it (a POST with a Next-Action
  // header, ids from the build's server-reference manifest), with a plausible payload: refused by the server.
  const actions = operatorOnlyActions();
  test("the build has operator-only actions to call", () => {
    expect(actions.map((a) => a.name)).toEqual(expect.arrayContaining(["scaleServiceAction", "applyStack", "destroyStack", "createUser"]));
  });
  for (const a of actions) {
    test(`server action ${a.name} (${a.role}) refuses a viewer`, async ({ request }) => {
      const res = await request.post(a.page, {
        headers: { "Next-Action": a.id, "Content-Type": "text/plain;charset=UTF-8", Accept: "text/x-component", Origin: E2E_BASE_URL },
        data: JSON.stringify([{ env: "production", service: "prefect-worker", desired: 3, id: "00000000-0000-4000-8000-000000000000" }]),
        maxRedirects: 0,
      });
      expect(res.status()).toBe(200);
      const body = await res.text();
      expect(body).toContain(`"ok":false`);
      expect(body).toContain(`"error":"This needs the ${a.role} role; you are a viewer."`);
    });
  }
});

test.describe("single sign-on endpoints are public but grant nothing by themselves", () => {
  for (const url of PUBLIC_ROUTES) {
    test(`GET ${url} with no sign-in in flight sets no session`, async ({ request }) => {
      const res = await request.get(url, { maxRedirects: 0 });
      expect(res.status()).toBe(303);
      expect(res.headers()["set-cookie"] ?? "").not.toContain("pec_session=");
    });
  }
});

test("a request body over the limit gets a clear 413, not a 500", async ({ request }) => {
  const res = await request.post("/login", {
    headers: { "Next-Action": "0".repeat(42), "Content-Type": "text/plain;charset=UTF-8", Origin: E2E_BASE_URL },
    data: JSON.stringify([{ email: "a@example.com", password: "x".repeat(5 * MAX_REQUEST_BYTES) }]),
  });
  expect(res.status()).toBe(413);
  expect(await res.text()).toMatch(/too large/);
});

test("scripts run only with this response's CSP nonce (checked in Chromium)", async ({ page }) => {
  let nonce = "";
  // Serve the real /login response (headers included) with two scripts added, as an injection would add them.
  await page.route("**/login", async (route) => {
    const res = await route.fetch();
    const csp = res.headers()["content-security-policy"] ?? "";
    nonce = /'nonce-([^']+)'/.exec(csp)?.[1] ?? "";
    const html = (await res.text()).replace(
      "</body>",
      `<script>window.__injected = true</script><script nonce="${nonce}">window.__nonced = true</script></body>`,
    );
    await route.fulfill({ response: res, body: html });
  });
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/.test(m.text())) violations.push(m.text());
  });
  await page.goto("/login");
  expect(nonce).toMatch(/^[A-Za-z0-9+/=]{20,}$/);
  await expect.poll(() => page.evaluate(() => (window as unknown as { __nonced?: boolean }).__nonced)).toBe(true);
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  expect(violations.length).toBe(1);
  // Next's own scripts carry the nonce, so the page still works: the form hydrates and validates in the browser.
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter an email address.")).toBeVisible();
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
  const scriptSrc = /script-src ([^;]+)/.exec(h["content-security-policy"] ?? "")?.[1] ?? "";
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("unsafe-inline");
  // A fresh nonce on every response.
  const again = (await request.get("/login")).headers()["content-security-policy"];
  expect(again).not.toEqual(h["content-security-policy"]);
  // Served over plain HTTP here: no HSTS (it would be set behind X-Forwarded-Proto: https).
  expect(h["strict-transport-security"]).toBeUndefined();
  const viaAlb = await request.get("/login", { headers: { "X-Forwarded-Proto": "https" } });
  expect(viaAlb.headers()["strict-transport-security"]).toBe("max-age=31536000");
  expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  expect(h["x-content-type-options"]).toBe("nosniff");
  expect(h["x-powered-by"]).toBeUndefined();
});
