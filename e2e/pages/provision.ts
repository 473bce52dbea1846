import fs from "node:fs";
import { expect, type Page } from "@playwright/test";
import { SANDBOX_INFO_FILE } from "../constants";

/** The sandbox the e2e server started (e2e/server.ts writes it): endpoints, knobs and the seeded network. */
export interface SandboxInfo {
  awsEndpoint: string;
  adminUrl: string;
  region: string;
  seed: { vpcId: string; publicSubnetIds: string[]; privateSubnetIds: string[] };
}
export const sandboxInfo = (): SandboxInfo => JSON.parse(fs.readFileSync(SANDBOX_INFO_FILE, "utf8")) as SandboxInfo;

/** Turns one of the sandbox's knobs (POST to its admin endpoint), e.g. `/cpu` or `/rds/maintenance`. */
export async function sandboxAdmin(path: string, body: unknown): Promise<void> {
  const r = await fetch(`${sandboxInfo().adminUrl}${path}`, { method: "POST", body: JSON.stringify(body) });
  expect(r.ok).toBe(true);
}

/**
 * Provisions stack `env` with the form's defaults on the sandbox's network and waits for the run to succeed.
 * `byKeyboard`: the plan's apply button is reached by focus and pressed with Enter, as a keyboard user would.
 */
export async function provisionStack(page: Page, env: string, { byKeyboard = false } = {}): Promise<void> {
  const sb = sandboxInfo();
  await page.goto("/stacks/new");
  await page.getByLabel("Environment name").fill(env);
  await page.getByLabel("Region").selectOption(sb.region);
  await expect(page.locator(`#f-vpcId option[value="${sb.seed.vpcId}"]`)).toBeAttached();
  await page.getByLabel("VPC").selectOption(sb.seed.vpcId);
  for (const id of sb.seed.privateSubnetIds)
    await page
      .getByRole("group", { name: /Private subnets/ })
      .getByLabel(new RegExp(id))
      .check();
  for (const id of sb.seed.publicSubnetIds)
    await page
      .getByRole("group", { name: /Public subnets/ })
      .getByLabel(new RegExp(id))
      .check();
  await page.getByRole("button", { name: "Review plan" }).click();
  const apply = page.getByRole("button", { name: /^Apply \d+ change/ });
  if (byKeyboard) {
    await apply.focus();
    await expect(apply).toBeFocused();
    await page.keyboard.press("Enter");
  } else await apply.click();
  await expect(page).toHaveURL(new RegExp(`/stacks/${env}/runs/`));
  await expect(page.getByText("succeeded").first()).toBeVisible({ timeout: 150_000 });
}
