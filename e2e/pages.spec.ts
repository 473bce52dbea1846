import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { storageState } from "./constants";
import { provisionStack, sandboxInfo } from "./pages/provision";

// Pages as a person meets them: streamed stack pages that share one snapshot with the refresh route, every page
// free of serious/critical accessibility violations in light and dark, and the operations a keyboard user needs.

// A fixed name: the e2e server starts a fresh sandbox and store per run, and a worker restarted after a failed check
// must find the same stack (a Date.now() name would change with it).
const env = "pgpages";

async function productCalls(): Promise<Record<string, number>> {
  const r = await fetch(`${sandboxInfo().adminUrl}/calls`);
  return ((await r.json()) as { calls: Record<string, number> }).calls;
}
async function resetCalls(): Promise<void> {
  await fetch(`${sandboxInfo().adminUrl}/calls`, { method: "DELETE" });
}

async function expectNoSeriousViolations(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  expect.soft(serious, what).toEqual([]); // every page is checked, each reported
}

// In order on the one worker; not serial, so one failing check does not hide the others.
test.describe("pages", () => {
  test.use({ storageState: storageState("admin") });

  test("the plan's apply button works from the keyboard (provisions the stack the other checks use)", async ({ page }) => {
    test.setTimeout(200_000);
    await provisionStack(page, env, { byKeyboard: true });
  });

  test("the overview page and the refresh route share one snapshot: one DescribeServices for both", async ({ page }) => {
    await page.goto(`/stacks/${env}`); // warm: the first render also reads task definitions
    await expect(page.getByTestId("services-panel")).toBeVisible();
    await page.waitForTimeout(2_500); // past the snapshot's 2 s reuse window
    await resetCalls();
    const [, route] = await Promise.all([page.goto(`/stacks/${env}`), page.request.get(`/api/stacks/${env}/snapshot`)]);
    expect(route.ok()).toBe(true);
    await expect(page.getByTestId("services-panel")).toBeVisible();
    const calls = await productCalls();
    expect(calls["ecs:DescribeServices"]).toBe(1);
  });

  for (const scheme of ["light", "dark"] as const) {
    test(`every page has no serious or critical accessibility violations (${scheme})`, async ({ page }) => {
      test.setTimeout(180_000);
      await page.emulateMedia({ colorScheme: scheme });
      const pages: [string, () => Promise<void>][] = [
        ["/stacks", () => expect(page.getByRole("row").filter({ hasText: env })).toBeVisible()],
        ["/stacks/new", () => expect(page.getByLabel("Environment name")).toBeVisible()],
        [`/stacks/${env}`, () => expect(page.getByTestId("services-panel")).toBeVisible()],
        [`/stacks/${env}/metrics`, () => expect(page.getByTestId("metric-chart").first()).toBeVisible()],
        [`/stacks/${env}/alarms`, () => expect(page.getByRole("heading", { name: "History" })).toBeVisible()],
        [`/stacks/${env}/timeline`, () => expect(page.getByRole("heading", { name: "Timeline" })).toBeVisible()],
        [`/stacks/${env}/logs`, () => expect(page.getByRole("button", { name: "Pause" })).toBeVisible()],
        [`/stacks/${env}/runs`, () => expect(page.getByRole("table", { name: "Runs" })).toBeVisible()],
        [`/stacks/${env}/spec`, () => expect(page.locator("main")).toBeVisible()],
        [`/stacks/${env}/destroy`, () => expect(page.locator("main")).toBeVisible()],
        ["/audit", () => expect(page.getByRole("table").first()).toBeVisible()],
        ["/users", () => expect(page.getByRole("table").first()).toBeVisible()],
        ["/settings", () => expect(page.locator("main")).toBeVisible()],
      ];
      for (const [path, ready] of pages) {
        await page.goto(path);
        await ready();
        await expect(page.getByTestId("panel-pending")).toHaveCount(0);
        await expectNoSeriousViolations(page, `${path} (${scheme})`);
      }
    });
  }

  test("the login page has no serious or critical accessibility violations", async ({ browser }) => {
    for (const colorScheme of ["light", "dark"] as const) {
      const context = await browser.newContext({ storageState: { cookies: [], origins: [] }, colorScheme });
      const page = await context.newPage();
      await page.goto("/login");
      await expect(page.getByLabel("Email")).toBeVisible();
      await expectNoSeriousViolations(page, `/login (${colorScheme})`);
      await context.close();
    }
  });

  test("the scale dialog is operated by keyboard alone", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    const count = page.getByLabel("Worker desired count");
    await count.focus();
    await count.fill("2");
    const scale = page.getByTestId("service-worker").getByRole("button", { name: "Scale…" });
    await scale.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Scale prefect-worker?");
    // Focus moves into the dialog; Tab reaches the confirm button and Enter confirms.
    await expect(dialog.locator(":focus")).toHaveCount(1);
    const confirm = dialog.getByRole("button", { name: "Scale to 2" });
    for (let i = 0; i < 4 && !(await confirm.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
    await expect(confirm).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page.getByTestId("worker-desired-count")).toHaveText("2");
  });

  test("the log viewer's pause and resume work from the keyboard", async ({ page }) => {
    await page.goto(`/stacks/${env}/logs`);
    const pause = page.getByRole("button", { name: "Pause" });
    await pause.focus();
    await page.keyboard.press("Space");
    await expect(page.getByText("Paused", { exact: true })).toBeVisible();
    const resume = page.getByRole("button", { name: /^Resume/ });
    await resume.focus();
    await page.keyboard.press("Enter");
    await expect(page.getByRole("button", { name: "Pause" })).toBeVisible();
  });

  test("screenshots of the streamed stack pages", async ({ page }) => {
    for (const [name, path] of [
      ["overview", `/stacks/${env}`],
      ["alarms", `/stacks/${env}/alarms`],
      ["timeline", `/stacks/${env}/timeline`],
      ["metrics", `/stacks/${env}/metrics`],
    ] as const) {
      await page.goto(path);
      await expect(page.getByRole("navigation", { name: "Stack" })).toBeVisible();
      await expect(page.getByTestId("panel-pending")).toHaveCount(0, { timeout: 30_000 });
      await page.screenshot({ path: `test-results/pages-${name}.png`, fullPage: true });
    }
  });
});
