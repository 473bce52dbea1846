import { expect, test as setup } from "@playwright/test";
import { storageState, users } from "./constants";
import { LoginPage } from "./pages/login-page";

// Signs in as the bootstrap admin, creates the operator and viewer through the Users page, and saves a
// signed-in browser state per role for the specs.
setup("sign in each role", async ({ page, browser }) => {
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(users.admin.email, users.admin.password);
  await expect(page).toHaveURL(/\/stacks$/);
  await page.context().storageState({ path: storageState("admin") });

  await page.goto("/users");
  for (const role of ["operator", "viewer"] as const) {
    const u = users[role];
    await page.getByLabel("Email").fill(u.email);
    await page.getByLabel("Name").fill(u.name);
    await page.getByLabel("Role").selectOption(role);
    await page.getByLabel("Temporary password").fill(u.password);
    await page.getByRole("button", { name: "Add user" }).click();
    await expect(page.getByText(`Added ${u.email}.`)).toBeVisible();
  }

  for (const role of ["operator", "viewer"] as const) {
    const ctx = await browser.newContext();
    const p = await ctx.newPage();
    const l = new LoginPage(p);
    await l.goto();
    await l.signIn(users[role].email, users[role].password);
    await expect(p).toHaveURL(/\/stacks$/);
    await ctx.storageState({ path: storageState(role) });
    await ctx.close();
  }
});
