import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { CloudWatchLogsClient, CreateLogStreamCommand, PutLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { expect, test } from "@playwright/test";
import { storageState } from "./constants";
import { provisionStack, sandboxInfo } from "./pages/provision";
import { LogsPage } from "./pages/logs-page";

// The operator reads a stack's logs: lines arrive live, a CloudWatch filter narrows them to errors, pausing counts
// the lines that arrive meanwhile, one task's logs open from a line, the loaded lines download as a file, a
// malformed pattern gets a message next to the filter box, and an alarm's "Logs then" link opens the logs at that time.

const env = `logs${Date.now().toString(36).slice(-5)}`;
const ourStream = `server/prefect-server/e2e${randomBytes(12).toString("hex")}`;

/** Writes lines into the stack's log group like a container would (our own stream under the server prefix). */
async function putLines(messages: string[]) {
  const sb = sandboxInfo();
  const logs = new CloudWatchLogsClient({
    region: sb.region,
    endpoint: sb.awsEndpoint,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
  });
  await logs.send(new CreateLogStreamCommand({ logGroupName: `/ecs/prefect-${env}`, logStreamName: ourStream })).catch((e: Error) => {
    if (e.name !== "ResourceAlreadyExistsException") throw e;
  });
  const now = Date.now();
  await logs.send(
    new PutLogEventsCommand({
      logGroupName: `/ecs/prefect-${env}`,
      logStreamName: ourStream,
      logEvents: messages.map((message, i) => ({ timestamp: now + i, message })),
    }),
  );
  logs.destroy();
}

test.describe.serial("log viewer", () => {
  test.use({ storageState: storageState("operator") });

  test("an operator provisions a stack whose tasks write logs", async ({ page }) => {
    test.setTimeout(200_000);
    await provisionStack(page, env);
  });

  test("the operator opens the logs and sees lines arriving live", async ({ page }) => {
    const logs = new LogsPage(page);
    await logs.goto(env);
    await expect(logs.lines.first()).toBeVisible({ timeout: 60_000 });
    await expect(page.getByText("Live", { exact: true })).toBeVisible();
    // The default upstream, as on AWS: CloudWatch Live Tail (the sandbox answers StartLiveTail like CloudWatch).
    await expect(page.getByTestId("upstream-mode")).toHaveText(/Live Tail/);
    const tag = `e2e live line ${randomBytes(4).toString("hex")}`;
    await putLines([`INFO:     ${tag}`]);
    await logs.expectLine(tag);
    await expect(page.getByTestId("upstream-mode")).toHaveText(/Live Tail/);
    await page.screenshot({ path: test.info().outputPath("logs-live-tail.png") });
    // The simulated server and workers keep writing: the count keeps growing without a reload.
    const before = await logs.count();
    await expect.poll(() => logs.count(), { timeout: 20_000 }).toBeGreaterThan(before);
  });

  test("a CloudWatch filter pattern narrows the view to errors", async ({ page }) => {
    const logs = new LogsPage(page);
    await logs.goto(env);
    await logs.filter("ERROR");
    await expect(page).toHaveURL(/filter=ERROR/);
    const tag = `e2e failure ${randomBytes(4).toString("hex")}`;
    await putLines([`12:00:00.000 | ERROR   | prefect.server - ${tag}`, `12:00:00.001 | INFO    | prefect.server - not an error ${tag}`]);
    await logs.expectLine(tag);
    await expect(logs.lines.filter({ hasText: `not an error ${tag}` })).toHaveCount(0);
    const levels = await logs.lines.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-level")));
    expect(levels.length).toBeGreaterThan(0);
    expect(new Set(levels)).toEqual(new Set(["error"]));
  });

  test("a malformed filter pattern gets a message next to the filter box", async ({ page }) => {
    const logs = new LogsPage(page);
    await logs.goto(env, `?filter=${encodeURIComponent("{ $.level = ")}`);
    await expect(page.getByRole("alert").filter({ hasText: "Invalid filter pattern" })).toBeVisible();
    await expect(page.getByLabel("Filter pattern")).toHaveAttribute("aria-invalid", "true");
  });

  test("pausing holds new lines and shows how many arrived", async ({ page }) => {
    const logs = new LogsPage(page);
    await logs.goto(env);
    await expect(logs.lines.first()).toBeVisible({ timeout: 30_000 });
    await page.getByRole("button", { name: "Pause" }).click();
    await expect(page.getByText("Paused", { exact: true })).toBeVisible();
    const shown = await logs.count();
    await putLines(["INFO:     while paused 1", "INFO:     while paused 2"]);
    const resume = page.getByRole("button", { name: /^Resume · \d+ new lines$/ });
    await expect(resume).toBeVisible({ timeout: 20_000 });
    expect(await logs.count()).toBe(shown);
    const waiting = Number((await resume.textContent())!.match(/(\d+) new lines/)![1]);
    expect(waiting).toBeGreaterThanOrEqual(2);
    await resume.click();
    await expect.poll(() => logs.count()).toBeGreaterThanOrEqual(shown + waiting);
    await logs.expectLine("while paused 2");
  });

  test("one task's logs open from a line, showing only that task's stream", async ({ page }) => {
    const logs = new LogsPage(page);
    await logs.goto(env, "?source=worker");
    const first = logs.lines.first();
    await expect(first).toBeVisible({ timeout: 30_000 });
    const link = first.getByRole("button", { name: /worker\// });
    const stream = ((await link.getAttribute("title")) ?? "").split(" ")[0]!;
    const taskId = stream.split("/").pop()!;
    await link.click();
    await expect(page).toHaveURL(new RegExp(`source=task&task=${taskId}`));
    await expect(page.getByLabel("Task")).toHaveValue(taskId);
    await expect(logs.lines.first()).toBeVisible({ timeout: 30_000 });
    expect(new Set(await logs.streams())).toEqual(new Set([stream]));
    // An unknown task is a 404 page.
    const res = await page.goto(`/stacks/${env}/logs?source=task&task=${"0".repeat(32)}`);
    expect(res?.status()).toBe(404);
  });

  test("the loaded lines download as a text file", async ({ page }) => {
    const logs = new LogsPage(page);
    const tag = `e2e download ${randomBytes(4).toString("hex")}`;
    await putLines([`INFO:     ${tag}`]);
    await logs.goto(env);
    await logs.expectLine(tag);
    // Pause first: live lines keep arriving (Live Tail pushes a batch a second), and the count must be the file's.
    await page.getByRole("button", { name: "Pause" }).click();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download lines" }).click()]);
    expect(download.suggestedFilename()).toMatch(new RegExp(`^${env}-all-.*\\.log$`));
    const text = fs.readFileSync((await download.path())!, "utf8");
    expect(text).toContain(tag);
    expect(text.split("\n").filter(Boolean).length).toBe(await logs.count());
  });

  test("an alarm's link opens the logs at the moment it changed state", async ({ page }) => {
    await page.goto(`/stacks/${env}`);
    const row = page.getByTestId("alarm-row").filter({ hasText: `prefect-high-cpu-${env}` });
    await expect(row).toBeVisible({ timeout: 60_000 });
    await row.getByRole("link", { name: "Logs then" }).click();
    // A firing alarm has changed state, so its link always carries that moment.
    await expect(page).toHaveURL(/\/logs\?at=[^&]+$/);
    const logs = new LogsPage(page);
    const at = Date.parse(decodeURIComponent(new URL(page.url()).searchParams.get("at")!));
    expect(Number.isNaN(at)).toBe(false);
    await expect(page.getByText(/lines around/)).toBeVisible();
    await expect(page.getByLabel("Time range")).toHaveValue("custom");
    // The marked line is the first at or after the alarm's time, and it is in view.
    await expect(logs.lines.first()).toBeVisible({ timeout: 30_000 });
    const times = await logs.lines.evaluateAll((rows) => rows.map((r) => Date.parse(r.querySelector("time")!.getAttribute("datetime")!)));
    expect(Math.min(...times)).toBeGreaterThanOrEqual(at - 15 * 60_000);
    // A deep link to a moment works the same from anywhere (the form alarms use).
    const moment = new Date(Date.now() - 30_000).toISOString();
    await logs.goto(env, `?at=${encodeURIComponent(moment)}`);
    await expect(page.getByText(/lines around/)).toBeVisible();
    await expect(logs.lines.first()).toBeVisible({ timeout: 30_000 });
  });
});
