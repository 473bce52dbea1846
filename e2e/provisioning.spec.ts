import fs from "node:fs";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { expect, test } from "@playwright/test";
import { SANDBOX_INFO_FILE, storageState } from "./constants";

// The platform engineer's day 0: the form (VPC/subnets from the account, inline validation, live cost) → the plan
// with its cost → apply → live progress to done → the stack page with the Prefect API URL. A viewer sees the
// form read-only and cannot plan or apply.

interface SandboxInfo {
  region: string;
  env: Record<string, string>;
  seed: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };
}
const sandbox = (): SandboxInfo => JSON.parse(fs.readFileSync(SANDBOX_INFO_FILE, "utf8")) as SandboxInfo;
const env = `prov${Date.now().toString(36).slice(-5)}`;

test.describe.serial("provisioning", () => {
  test.use({ storageState: storageState("operator") });

  test("operator: form → plan and cost → apply → progress to done → stack page with the API URL", async ({ page }) => {
    const sb = sandbox();
    // Every response the browser receives (HTML, RSC payloads, JSON, scripts), to grep for secrets at the end.
    const bodies: Promise<string>[] = [];
    page.on("response", (r) => void bodies.push(r.text().catch(() => "")));
    await page.goto("/stacks/new");

    // Inline validation with a message that says how to fix it.
    await page.getByLabel("Environment name").fill("Prod_1");
    await page.getByLabel("Environment name").blur();
    await expect(page.getByText(/Use lower-case letters, digits and hyphens/)).toBeVisible();
    await page.getByLabel("Environment name").fill(env);
    await expect(page.getByText(/Use lower-case letters, digits and hyphens/)).toHaveCount(0);

    // Network pickers from the account: public vs private told apart by their route tables.
    await page.getByLabel("Region").selectOption(sb.region);
    await expect(page.locator(`#f-vpcId option[value="${sb.seed.vpcId}"]`)).toBeAttached();
    await page.getByLabel("VPC").selectOption(sb.seed.vpcId);
    const privateGroup = page.getByRole("group", { name: /Private subnets/ });
    const publicGroup = page.getByRole("group", { name: /Public subnets/ });
    for (const id of sb.seed.privateSubnetIds) await expect(privateGroup.getByLabel(new RegExp(id))).toBeChecked();
    for (const id of sb.seed.publicSubnetIds) await expect(publicGroup.getByLabel(new RegExp(id))).toBeChecked();
    for (const id of sb.seed.publicSubnetIds) await expect(privateGroup.getByLabel(new RegExp(id))).not.toBeChecked();

    // Only valid Fargate pairs are offered; the cost estimate follows the form.
    const total = page.getByTestId("cost-total");
    const before = await total.textContent();
    await page.getByLabel("Server CPU").selectOption("1024");
    await expect(page.getByText("1024 CPU allows 2–8 GB memory (in 1 GB steps)")).toBeVisible();
    await expect(page.getByLabel("Server memory").locator("option")).toHaveText(["2 GB", "3 GB", "4 GB", "5 GB", "6 GB", "7 GB", "8 GB"]);
    await expect(total).not.toHaveText(before ?? "");
    await page.getByLabel("Server CPU").selectOption("512");
    await page.getByLabel("Server memory").selectOption("1024");

    // The plan: every resource to create, grouped, with the cost; nothing changed yet.
    await page.getByRole("button", { name: "Review plan" }).click();
    await expect(page.getByText(`Review the plan for ${env}`)).toBeVisible();
    await expect(page.getByTestId("plan-summary")).toHaveText(/^\d+ to create$/);
    await expect(page.getByTestId("plan-item-rds")).toContainText(`prefect-${env}`);
    await expect(page.getByTestId("plan-item-service-server")).toContainText("create");
    await expect(page.getByRole("region", { name: "Monthly cost estimate" }).or(page.getByLabel("Monthly cost estimate"))).toContainText(
      "RDS PostgreSQL",
    );

    // Apply → the run page, live to done.
    await page.getByRole("button", { name: /^Apply \d+ changes/ }).click();
    await expect(page).toHaveURL(new RegExp(`/stacks/${env}/runs/[0-9a-f-]{36}$`));
    await expect(page.getByTestId("step-rds")).toBeVisible();
    await expect(page.getByText("The stack is ready")).toBeVisible({ timeout: 150_000 });
    await expect(page.locator('[data-testid^="step-"][data-status="done"]')).toHaveCount(
      await page.locator('[data-testid^="step-"]').count(),
    );
    const apiUrl = await page.getByTestId("api-url").textContent();
    expect(apiUrl).toMatch(/^http:\/\/.+\/api$/);

    // The run survives a reload.
    await page.reload();
    await expect(page.getByText("The stack is ready")).toBeVisible();

    // The stack page shows the same API URL.
    await page.getByRole("link", { name: "Open the stack" }).click();
    await expect(page).toHaveURL(new RegExp(`/stacks/${env}$`));
    await expect(page.getByTestId("api-url")).toHaveText(apiUrl ?? "");

    // And the list shows it ready.
    await page.goto("/stacks");
    const row = page.getByRole("row").filter({ hasText: env });
    await expect(row).toContainText("ready");

    // The generated DB password never reached the browser.
    const sm = new SecretsManagerClient({
      region: sb.region,
      endpoint: sb.env.AWS_ENDPOINT_URL,
      credentials: { accessKeyId: "test", secretAccessKey: "test" },
    });
    const password = (await sm.send(new GetSecretValueCommand({ SecretId: `prefect/${env}/rds-password` }))).SecretString ?? "";
    expect(password.length).toBeGreaterThanOrEqual(32);
    const seen = await Promise.all(bodies);
    expect(seen.length).toBeGreaterThan(10);
    expect(seen.filter((b) => b.includes(password))).toHaveLength(0);
  });

  test("operator: re-planning the converged stack shows no changes", async ({ page }) => {
    await page.goto(`/stacks/${env}/spec`);
    await page.getByRole("button", { name: "Review plan" }).click();
    await expect(page.getByTestId("plan-summary")).toHaveText(/^\d+ unchanged$/);
  });

  test("viewer: the form is read-only and nothing can be planned or applied", async ({ browser }) => {
    const ctx = await browser.newContext({ storageState: storageState("viewer") });
    const page = await ctx.newPage();
    await page.goto("/stacks/new");
    await expect(page.getByText(/You are a viewer/)).toBeVisible();
    await expect(page.getByLabel("Environment name")).toBeDisabled();
    await expect(page.getByRole("button", { name: "Review plan" })).toBeDisabled();
    await page.goto(`/stacks/${env}/destroy`);
    await expect(page.getByRole("button", { name: `Destroy ${env}` })).toBeDisabled();
    await ctx.close();
  });
});

test.describe.serial("destroy", () => {
  test.use({ storageState: storageState("operator") });

  test("operator: typed confirmation → destroy run to the end → the stack leaves the list", async ({ page }) => {
    await page.goto(`/stacks/${env}/destroy`);
    await expect(page.getByTestId("plan-summary")).toContainText("to delete");
    await expect(page.getByText(`prefect-${env}-final`).first()).toBeVisible();
    const button = page.getByRole("button", { name: `Destroy ${env}` });
    await page.getByLabel(/to confirm/).fill(`${env}x`);
    await expect(button).toBeDisabled();
    await page.getByLabel(/to confirm/).fill(env);
    await button.click();
    await expect(page).toHaveURL(new RegExp(`/stacks/${env}/runs/[0-9a-f-]{36}$`));
    await expect(page.getByText("The stack was destroyed")).toBeVisible({ timeout: 120_000 });
    await page.getByRole("link", { name: "Back to stacks" }).click();
    await expect(page.getByRole("row").filter({ hasText: env })).toHaveCount(0);
  });
});
