import { expect, test, type Locator } from "@playwright/test";
import { ADMIN_STATE, screenshotPath } from "./helpers";

test.use({ storageState: ADMIN_STATE });

/** The `datetime` of each of the next run times a schedule lists. */
const upcoming = (panel: Locator) => panel.getByTestId("schedule-upcoming").locator("time").evaluateAll((els) => els.map((e) => new Date(e.getAttribute("datetime")!)));

/** Weekday and HH:MM of an instant as a timezone reads it. */
function localParts(d: Date, timeZone: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", { timeZone, weekday: "short", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d).map((p) => [p.type, p.value]),
  );
  return { weekday: parts.weekday!, time: `${parts.hour}:${parts.minute}` };
}

test("the admin edits a schedule: its explanation and next run times follow, a bad cron is refused at its field", async ({ page }) => {
  // The Systems page lists every schedule on one line; each opens its system's page, where it is edited.
  await page.goto("/systems");
  const list = page.getByRole("region", { name: "Schedules" });
  for (const name of ["Dashboard", "CMS (Payload)", "Lead Centre"]) await expect(list.getByRole("link", { name: `Industry in ${name}` })).toBeVisible();
  await expect(list.getByRole("row", { name: /Industry in Dashboard/ })).toContainText("*/5 * * * *");
  await list.getByRole("link", { name: "Industry in Dashboard" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/systems/dashboard");
  await expect(page.getByRole("heading", { level: 2, name: "Schedules" })).toBeVisible();
  const panel = page.getByRole("region", { name: "Schedule of industry in Dashboard" });
  const cron = panel.getByLabel("Cron expression");
  const save = panel.getByRole("button", { name: "Save schedule" });
  const saved = panel.getByRole("status").filter({ hasText: "Schedule saved." });

  // The Dashboard sends changes: it starts with Concord's default catch-up schedule.
  await expect(panel.getByTestId("schedule-default")).toHaveText("default catch-up");
  await expect(panel.getByTestId("schedule-cron")).toHaveText("*/5 * * * *");
  await expect(panel.getByTestId("schedule-kind")).toHaveText("Incremental: what changed since the last run");
  await expect(panel.getByTestId("schedule-status")).toHaveText("enabled");

  // Every 15 minutes, full runs, not enabled: now the admin's schedule.
  await cron.fill("*/15 * * * *");
  await panel.getByLabel("Kind").selectOption("full");
  await panel.getByLabel("Enabled").uncheck();
  await save.click();
  await expect(saved).toBeVisible();
  await expect(panel.getByTestId("schedule-default")).toHaveCount(0);
  await expect(panel.getByTestId("schedule-cron")).toHaveText("*/15 * * * *");
  await expect(panel.getByTestId("schedule-explanation")).toHaveText("Every 15 minutes");
  await expect(panel.getByTestId("schedule-kind")).toHaveText("Full: every record");
  await expect(panel.getByTestId("schedule-status")).toHaveText("disabled");
  await expect(panel.getByTestId("schedule-upcoming").getByRole("listitem")).toHaveCount(5);
  const quarterly = await upcoming(panel);
  expect(quarterly.every((d) => d.getUTCMinutes() % 15 === 0 && d.getUTCSeconds() === 0)).toBe(true);
  for (let i = 1; i < quarterly.length; i++) expect(quarterly[i]!.getTime() - quarterly[i - 1]!.getTime()).toBe(15 * 60_000);
  expect(quarterly[0]!.getTime()).toBeGreaterThan(Date.now() - 60_000);

  // A value the parser refuses: its error is shown at the field, and nothing changes.
  await cron.fill("61 * * * *");
  await save.click();
  const error = panel.getByText("Constraint error, got value 61 expected range 0-59");
  await expect(error).toBeVisible();
  await expect(cron).toHaveAttribute("aria-invalid", "true");
  const errorId = await error.getAttribute("id");
  await expect(cron).toHaveAttribute("aria-describedby", errorId!);
  await expect(panel.getByTestId("schedule-explanation")).toHaveText("Every 15 minutes");
  await cron.fill("every morning");
  await save.click();
  await expect(panel.getByText(/must have five fields \(minute hour day-of-month month day-of-week\)/)).toBeVisible();
  await panel.getByLabel("Timezone").fill("Mars/Olympus_Mons");
  await cron.fill("30 3 * * 1-5");
  await save.click();
  await expect(panel.getByText('"Mars/Olympus_Mons" is not an IANA timezone (e.g. UTC, Europe/London).')).toBeVisible();
  await expect(panel.getByLabel("Timezone")).toHaveAttribute("aria-invalid", "true");
  await expect(cron).not.toHaveAttribute("aria-invalid", "true");

  // Weekdays at 03:30 London time, incremental, enabled: the next run is set and every time is a weekday 03:30 there.
  await panel.getByLabel("Timezone").fill("Europe/London");
  await panel.getByLabel("Kind").selectOption("incremental");
  await panel.getByLabel("Enabled").check();
  await save.click();
  await expect(saved).toBeVisible();
  await expect(panel.getByTestId("schedule-explanation")).toHaveText("At 03:30, Monday through Friday");
  await expect(panel.getByTestId("schedule-status")).toHaveText("enabled");
  await expect(panel.getByTestId("schedule-kind")).toHaveText("Incremental: what changed since the last run");
  await expect(panel).toContainText("Europe/London");
  await expect(panel.getByTestId("schedule-upcoming").getByRole("listitem")).toHaveCount(5);
  const weekdays = await upcoming(panel);
  for (const d of weekdays) {
    const { weekday, time } = localParts(d, "Europe/London");
    expect(time).toBe("03:30");
    expect(["Mon", "Tue", "Wed", "Thu", "Fri"]).toContain(weekday);
  }
  await expect(panel.getByTestId("schedule-next-run").locator("time")).toHaveAttribute("datetime", weekdays[0]!.toISOString());
  await page.screenshot({ path: screenshotPath("systems-schedules"), fullPage: true });

  // Kept across a reload; then disabled again, so no scheduled run starts during the other tests.
  await page.reload();
  await expect(panel.getByLabel("Cron expression")).toHaveValue("30 3 * * 1-5");
  await expect(panel.getByLabel("Timezone")).toHaveValue("Europe/London");
  await expect(panel.getByLabel("Kind")).toHaveValue("incremental");
  await expect(panel.getByLabel("Enabled")).toBeChecked();
  await panel.getByLabel("Enabled").uncheck();
  await panel.getByRole("button", { name: "Save schedule" }).click();
  await expect(panel.getByRole("status").filter({ hasText: "Schedule saved." })).toBeVisible();
  await expect(panel.getByTestId("schedule-status")).toHaveText("disabled");
  await expect(panel.getByTestId("schedule-cron")).toHaveText("30 3 * * 1-5");
  await expect(panel).toContainText("None while disabled");

  // The list shows the change; the other bindings are untouched: the CMS keeps its default catch-up, the receive-only Lead Centre has none.
  await page.goto("/systems");
  await expect(list.getByRole("row", { name: /Industry in Dashboard/ })).toContainText("30 3 * * 1-5");
  await expect(list.getByRole("row", { name: /Industry in Dashboard/ })).toContainText("disabled");
  await expect(list.getByRole("row", { name: /Industry in Lead Centre/ })).toContainText("not scheduled");
  await page.goto("/systems/cms");
  const cms = page.getByRole("region", { name: "Schedule of industry in CMS (Payload)" });
  await expect(cms.getByTestId("schedule-status")).toHaveText("enabled");
  await expect(cms.getByTestId("schedule-default")).toBeVisible();
  await page.goto("/systems/lead-centre");
  await expect(page.getByRole("region", { name: "Schedule of industry in Lead Centre" }).getByTestId("schedule-status")).toHaveText("not scheduled");
});
