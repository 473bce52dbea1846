import type { BrowserContext, Page } from "@playwright/test";

/** The test OpenID Connect provider's own sign-in and consent pages (oidc-provider's development interactions). */
export class IdpPage {
  constructor(readonly page: Page) {}
  async signIn(login: string) {
    await this.page.locator('input[name="login"]').fill(login);
    await this.page.locator('input[name="password"]').fill("any-password");
    await this.page.getByRole("button", { name: "Sign-in" }).click();
    await this.page.getByRole("button", { name: "Continue" }).click();
  }
}

/** Nothing leaves 127.0.0.1 (the provider's page imports a web font from the internet). */
export async function keepLocal(context: BrowserContext): Promise<void> {
  await context.route(
    (url) => url.hostname !== "127.0.0.1",
    (route) => route.abort(),
  );
}
