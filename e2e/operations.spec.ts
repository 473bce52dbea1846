import { expect, test } from "@playwright/test";
import { desiredCountMessages } from "../lib/ops/desired-count";
import { storageState } from "./constants";
import { provisionStack, sandboxAdmin } from "./pages/provision";

// The on-call operator's journey on a stack provisioned through the console (sandbox): the overview shows the API
// URL, running counts, healthy targets, OK alarms and charts; the worker scales to 3 through a confirm dialog;
// a server restart completes; a CPU spike turns the alarm red without a reload; a viewer gets no action buttons.

const env = `ops${Date.now().toString(36).slice(-5)}`;

test.describe.serial("operations dashboard", () => {
  test.use({ storageState: storageState("operator") });

  test("an operator provisions a stack to operate", async ({ page }) => {
    test.setTimeout(200_000);
    await provisionStack(page, env);
  });

  test("the overview shows the API URL, running counts, healthy targets, OK alarms and charts", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    await expect(page.getByTestId("api-url")).toHaveText(/^http:\/\/.+\/api$/);
    await expect(page.getByRole("button", { name: "Copy export line" })).toBeVisible();
    await expect(page.getByTestId("server-running-count")).toHaveText("1", { timeout: 60_000 });
    await expect(page.getByTestId("worker-running-count")).not.toHaveText("0");
    await expect(page.getByTestId("target-row").filter({ hasText: "healthy" }).first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("alarm-row").filter({ hasText: `prefect-high-cpu-${env}` })).toHaveAttribute("data-state", "OK", {
      timeout: 60_000,
    });
    await expect(page.getByText("healthy", { exact: true }).first()).toBeVisible();
    await page.getByRole("navigation", { name: "Stack" }).getByRole("link", { name: "Metrics" }).click();
    await expect(page.getByTestId("metric-chart").first()).toBeVisible();
    await expect(page.locator(".recharts-surface").first()).toBeVisible({ timeout: 30_000 });
  });

  test("the stacks list summarises the stack's health", async ({ page }) => {
    await page.goto("/stacks");
    const health = page.getByRole("row").filter({ hasText: env }).getByTestId("stack-health");
    await expect
      .poll(async () => (await page.reload(), await health.getAttribute("data-tone")), { timeout: 60_000, intervals: [2_000] })
      .toBe("ok");
    await expect(health).toContainText("no alarms firing");
    await expect(health).toContainText(/2\/2 services steady/);
  });

  test("the operator scales the worker to 3 through a confirm dialog and sees 3 running", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    await page.getByLabel("Worker desired count").fill("3");
    await page.getByTestId("service-worker").getByRole("button", { name: "Scale…" }).click();
    const dialog = page.getByRole("alertdialog");
    await expect(dialog).toContainText("Scale prefect-worker?");
    await dialog.getByRole("button", { name: "Scale to 3" }).click();
    await expect(page.getByTestId("worker-desired-count")).toHaveText("3");
    await expect(page.getByTestId("worker-running-count")).toHaveText("3", { timeout: 60_000 });
    await expect(page.getByTestId("operation-progress")).toHaveAttribute("data-state", "done", { timeout: 60_000 });
  });

  test("the manual count holds because auto scaling is suspended, until the operator resumes it", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    const worker = page.getByTestId("service-worker");
    await expect(worker).toContainText("(suspended)");
    await worker.getByRole("button", { name: "Resume auto scaling…" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Resume auto scaling" }).click();
    await expect(worker).not.toContainText("(suspended)", { timeout: 30_000 });
    await expect(worker.getByRole("button", { name: "Resume auto scaling…" })).toHaveCount(0);
  });

  test("the operator stops one task and the service replaces it", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    const server = page.getByTestId("service-server");
    const row = server
      .getByTestId("task-row")
      .filter({ has: page.getByRole("button", { name: /^Stop task/ }) })
      .first();
    const id = (await row.locator("td").first().textContent())?.trim() ?? "";
    await row.getByRole("button", { name: /^Stop task/ }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Stop task" }).click();
    await expect(page.getByTestId("operation-progress")).toHaveAttribute("data-state", "done", { timeout: 90_000 });
    await expect(server.getByTestId("task-row").filter({ hasText: id })).toHaveAttribute("data-status", "STOPPED");
    await expect(page.getByTestId("server-running-count")).toHaveText("1");
  });

  test("an out-of-range count gets a clear message and no dialog", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    await page.getByLabel("Worker desired count").fill("999");
    await expect(page.getByText(desiredCountMessages.max).first()).toBeVisible();
    await expect(page.getByTestId("service-worker").getByRole("button", { name: "Scale…" })).toBeDisabled();
  });

  test("the operator restarts the server and sees the new deployment complete", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    await page.getByTestId("service-server").getByRole("button", { name: "Restart…" }).click();
    await page.getByRole("alertdialog").getByRole("button", { name: "Restart" }).click();
    await expect(page.getByTestId("operation-progress")).toHaveAttribute("data-state", "running");
    await expect(page.getByTestId("operation-progress")).toHaveAttribute("data-state", "done", { timeout: 90_000 });
    await expect(page.getByTestId("service-server").getByTestId("deployment-row")).toHaveCount(1);
    await expect(page.getByTestId("service-server").getByTestId("deployment-row")).toHaveAttribute("data-rollout", "COMPLETED");
  });

  test("a CPU spike turns the alarm to ALARM on the page without a reload", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    const row = page.getByTestId("alarm-row").filter({ hasText: `prefect-high-cpu-${env}` });
    await expect(row).toHaveAttribute("data-state", "OK", { timeout: 60_000 });
    await sandboxAdmin("/cpu", { cluster: `prefect-${env}`, service: "prefect-server", percent: 97 });
    try {
      await expect(row).toHaveAttribute("data-state", "ALARM", { timeout: 80_000 });
      await expect(row.getByRole("link", { name: "Logs then" })).toHaveAttribute("href", new RegExp(`/stacks/${env}/logs\\?at=`));
      await page.goto("/stacks");
      await expect(page.getByRole("row").filter({ hasText: env }).getByTestId("stack-health")).toContainText("1 alarm firing");
    } finally {
      await sandboxAdmin("/cpu", { cluster: `prefect-${env}`, service: "prefect-server", percent: null });
    }
  });

  test("resizing the database in its next maintenance window shows the change pending, then applied", async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto(`/stacks/${env}/spec`);
    await page.getByLabel("Instance class").selectOption("db.t3.small");
    await page.getByLabel("Apply database changes now").uncheck();
    await page.getByRole("button", { name: "Review plan" }).click();
    await page.getByRole("button", { name: /^Apply \d+ change/ }).click();
    await expect(page).toHaveURL(new RegExp(`/stacks/${env}/runs/`));
    await page.goto(`/stacks/${env}`);
    const dbPanel = page.getByTestId("database-panel");
    // RDS holds the change until the maintenance window: the old class runs, the new one is pending.
    await expect(dbPanel.getByTestId("db-pending")).toContainText("db.t3.small", { timeout: 120_000 });
    await expect(dbPanel).toContainText("db.t3.micro");
    await sandboxAdmin("/rds/maintenance", { dbInstanceIdentifier: `prefect-${env}` });
    await expect(dbPanel.getByTestId("db-pending")).toHaveCount(0, { timeout: 120_000 });
    await expect(dbPanel).toContainText("db.t3.small");
    await expect(dbPanel.getByText("available", { exact: true })).toBeVisible({ timeout: 60_000 });
  });

  test.describe("as a viewer", () => {
    test.use({ storageState: storageState("viewer") });
    test("a viewer sees the stack but no action buttons", async ({ page }) => {
      await page.goto(`/stacks/${env}`);
      await expect(page.getByTestId("api-url")).toBeVisible();
      await expect(page.getByTestId("server-running-count")).toBeVisible();
      await expect(page.getByRole("button", { name: /Scale…|Restart…|Roll back…|^Stop$/ })).toHaveCount(0);
      await expect(page.getByLabel("Worker desired count")).toHaveCount(0);
    });
  });
});
