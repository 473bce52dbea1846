import type { Page } from "@playwright/test";

export class LoginPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto("/login");
  }
  async signIn(email: string, password: string) {
    await this.page.getByLabel("Email").fill(email);
    await this.page.getByLabel("Password").fill(password);
    await this.page.getByRole("button", { name: "Sign in" }).click();
  }
}
