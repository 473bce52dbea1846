import { expect, test } from "@playwright/test";
import { storageState, users } from "./constants";
import { LoginPage } from "./pages/login-page";

test.describe("signing in", () => {
  test("an anonymous visit lands on the login page", async ({ page }) => {
    await page.goto("/stacks");
    await expect(page).toHaveURL(/\/login\?next=%2Fstacks$/);
    await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  });

  test("a wrong password gets a clear message and no session", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(users.admin.email, "not-the-password");
    await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText("Email or password is incorrect.");
    await page.goto("/stacks");
    await expect(page).toHaveURL(/\/login/);
  });

  test("invalid input gets field-level messages before anything is sent", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn("not-an-email", "");
    await expect(page.getByText("Enter a valid email address, like ann@example.com.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
  });

  test("the admin signs in and sees the Stacks page with what to do next", async ({ page }) => {
    const login = new LoginPage(page);
    await login.goto();
    await login.signIn(users.admin.email, users.admin.password);
    await expect(page).toHaveURL(/\/stacks$/);
    await expect(page.getByRole("heading", { name: "Stacks", level: 1 })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toBeVisible();
  });
});

test.describe("as a viewer", () => {
  test.use({ storageState: storageState("viewer") });

  test("the Users page is forbidden and not in the navigation", async ({ page }) => {
    await page.goto("/stacks");
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Users" })).toHaveCount(0);
    await page.goto("/users");
    await expect(page.getByRole("heading", { name: "You don't have access to this page" })).toBeVisible();
  });
});

test.describe("as an admin", () => {
  test.use({ storageState: storageState("admin") });

  test("the audit log shows sign-ins and user changes", async ({ page }) => {
    await page.goto("/audit");
    const table = page.getByRole("table", { name: "Audit events" });
    await expect(table.getByRole("row").filter({ hasText: "auth.login" }).first()).toBeVisible();
    await expect(table.getByRole("row").filter({ hasText: "user.create" }).filter({ hasText: users.viewer.email })).toBeVisible();
    await page.getByLabel("Action").selectOption("user.create");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(table.getByRole("row").filter({ hasText: "auth.login" })).toHaveCount(0);
  });

  test("the settings page shows the AWS identity the console runs as", async ({ page }) => {
    await page.goto("/settings");
    await expect(page.getByText("Identity ARN")).toBeVisible();
    // The identity's ARN is the value beside its copy button (the policy below it names ARN patterns too).
    const identity = page.getByRole("definition").filter({ has: page.getByRole("button", { name: "Copy identity ARN" }) });
    await expect(identity).toContainText(/arn:aws:(iam|sts)::\d{12}:(user|role|assumed-role)\/\S+/);
    await expect(page.getByLabel("Console IAM policy (JSON)")).toContainText("ecs:UpdateService");
  });
});

test("signing out ends the session on the server", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: storageState("operator") });
  const page = await ctx.newPage();
  const login = new LoginPage(page);
  // A session of its own, so signing out doesn't end the one the other specs share.
  await ctx.clearCookies();
  await login.goto();
  await login.signIn(users.operator.email, users.operator.password);
  await expect(page).toHaveURL(/\/stacks$/);
  const cookies = await ctx.cookies();
  expect(cookies.find((c) => c.name === "pec_session")?.httpOnly).toBe(true);
  await expect(page.getByRole("link", { name: `${users.operator.email} operator (your sessions)` })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login/);
  // Replaying the old cookie must not bring the session back.
  await ctx.addCookies(cookies);
  await page.goto("/stacks");
  await expect(page).toHaveURL(/\/login/);
  await ctx.close();
});
