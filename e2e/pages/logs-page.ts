import { expect, type Locator, type Page } from "@playwright/test";

/** The log viewer at /stacks/<env>/logs. */
export class LogsPage {
  readonly lines: Locator;
  constructor(readonly page: Page) {
    this.lines = page.getByTestId("log-line");
  }

  async goto(env: string, query = "") {
    await this.page.goto(`/stacks/${env}/logs${query}`);
  }

  /** The number of lines loaded, from the status line ("1,234 lines · cap 50,000"). */
  async count(): Promise<number> {
    const text = (await this.page.getByTestId("line-count").textContent()) ?? "";
    return Number(text.split(" ")[0]!.replace(/,/g, ""));
  }

  async filter(pattern: string) {
    await this.page.getByLabel("Filter pattern").fill(pattern);
    await this.page.getByRole("button", { name: "Apply", exact: true }).click();
  }

  async expectLine(text: string, timeout = 20_000) {
    await expect(this.lines.filter({ hasText: text }).first()).toBeVisible({ timeout });
  }

  /** Stream names of the rendered rows (the row's stream link/label carries the full name in its title). */
  async streams(): Promise<string[]> {
    return this.lines.evaluateAll((rows) => rows.map((r) => (r.querySelector("[title]")?.getAttribute("title") ?? "").split(" ")[0] ?? ""));
  }
}
