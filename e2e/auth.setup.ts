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
  const form = page.getByRole("form", { name: "Add a user" });
  for (const role of ["operator", "viewer"] as const) {
    const u = users[role];
    await form.getByLabel("Email").fill(u.email);
    await form.getByLabel("Name").fill(u.name);
    await form.getByLabel("Role").selectOption(role);
    await form.getByLabel("Temporary password").fill(u.password);
    await form.getByRole("button", { name: "Add user" }).click();
    await expect(form.getByText(`Added ${u.email}.`)).toBeVisible();
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
