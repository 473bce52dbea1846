import { expect, test, type Page } from "@playwright/test";
import { OIDC_PORT, storageState } from "./constants";
import { IdpPage, keepLocal } from "./pages/idp-page";
import { SSO_ERRORS } from "../lib/auth-messages";

// Single sign-on against a real OpenID Connect provider on 127.0.0.1 (e2e/oidc-test-provider.ts, started by
// e2e/server.ts): sign in on the provider's own page, land with the role the groups claim maps to; refusals
// (no mapped group, forged / replayed / expired callbacks) show a message and are audited.
test.use({ storageState: { cookies: [], origins: [] } });
test.beforeEach(async ({ context }) => keepLocal(context));

async function startSso(page: Page, login: string) {
  await page.goto("/login");
  await page.getByRole("link", { name: "Sign in with Test IdP" }).click();
  await new IdpPage(page).signIn(login);
}

/**
 * Runs the flow up to the provider's redirect back and returns that callback URL without letting the browser load it.
 * (A route handler never sees the redirect itself, so the provider's consent POST is replayed here with redirects
 * off, in the same cookie jar, until its Location points at the console.)
 */
async function callbackUrlFor(page: Page, login: string): Promise<URL> {
  let captured: string | undefined;
  const issuer = `http://127.0.0.1:${OIDC_PORT}`;
  await page.route(`${issuer}/interaction/**`, async (route) => {
    if (route.request().method() !== "POST" || !/prompt=consent/.test(route.request().postData() ?? "")) return route.continue();
    let location = (await route.fetch({ maxRedirects: 0 })).headers()["location"];
    while (location && !location.includes("/login/oidc/callback"))
      location = (await page.request.get(new URL(location, issuer).href, { maxRedirects: 0 })).headers()["location"];
    captured = location;
    await route.fulfill({ status: 200, contentType: "text/plain", body: "callback captured" });
  });
  await startSso(page, login);
  await expect.poll(() => captured).toBeDefined();
  await page.unroute(`${issuer}/interaction/**`);
  return new URL(captured!);
}

const userMenu = (page: Page, email: string, role: string) => page.getByRole("link", { name: `${email} ${role} (your sessions)` });

test("a platform admin signs in through the provider's page and lands as admin", async ({ page }) => {
  await startSso(page, "alice");
  await expect(page).toHaveURL(/\/stacks$/);
  await expect(userMenu(page, "alice@idp.example.com", "admin")).toBeVisible();
});

test("an on-call engineer lands as operator", async ({ page }) => {
  await startSso(page, "oscar");
  await expect(page).toHaveURL(/\/stacks$/);
  await expect(userMenu(page, "oscar@idp.example.com", "operator")).toBeVisible();
});

test("someone outside every mapped group is refused with a message", async ({ page }) => {
  await startSso(page, "mallory");
  await expect(page).toHaveURL(/\/login\?error=sso-no-group$/);
  await expect(page.getByRole("main").getByRole("alert")).toHaveText(SSO_ERRORS["sso-no-group"]);
  await page.goto("/stacks");
  await expect(page).toHaveURL(/\/login/);
});

test.describe("forged and replayed callbacks", () => {
  const refused = async (page: Page) => {
    await expect(page).toHaveURL(/\/login\?error=sso-failed$/);
    await expect(page.getByRole("main").getByRole("alert")).toHaveText(SSO_ERRORS["sso-failed"]);
    await expect(page.locator("body")).not.toContainText(/state|nonce|issuer|expired|grant|token/i);
  };

  test("a tampered state is refused", async ({ page }) => {
    const url = await callbackUrlFor(page, "alice");
    url.searchParams.set("state", url.searchParams.get("state")!.slice(0, -4) + "AAAA");
    await page.goto(url.href);
    await refused(page);
  });

  test("a callback naming another issuer is refused", async ({ page }) => {
    const url = await callbackUrlFor(page, "alice");
    url.searchParams.set("iss", "http://127.0.0.1:9/not-the-provider");
    await page.goto(url.href);
    await refused(page);
  });

  test("an expired authorization code is refused", async ({ page }) => {
    const url = await callbackUrlFor(page, "alice");
    await page.waitForTimeout(6_000); // the test provider's codes live 5 s
    await page.goto(url.href);
    await refused(page);
  });

  test("a callback works once: replaying it, even with its state cookie, is refused", async ({ page, context }) => {
    const url = await callbackUrlFor(page, "oscar");
    const state = url.searchParams.get("state")!;
    await page.goto(url.href);
    await expect(page).toHaveURL(/\/stacks$/);
    await context.clearCookies();
    await context.addCookies([{ name: "pec_oidc", value: state, url: new URL("/login/oidc/callback", url).href }]);
    await page.goto(url.href);
    await refused(page);
  });

  test("every refusal is in the audit log with its reason", async ({ browser }) => {
    const admin = await browser.newContext({ storageState: storageState("admin") });
    const page = await admin.newPage();
    await page.goto("/audit?action=auth.oidc&outcome=denied");
    const rows = page.getByRole("table").getByRole("row");
    const reasons = [/state does not match/, /unexpected "iss" \(issuer\)/, /invalid_grant/, /already used state/, /map to no role/];
    for (const reason of reasons) await expect(rows.filter({ hasText: reason }).first()).toBeVisible();
    await admin.close();
  });
});
