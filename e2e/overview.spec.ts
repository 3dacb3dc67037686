import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { ADMIN_STATE } from "./helpers";

/**
 * The Overview against the sample systems: every configured system with its health, the topology drawn
 * from the configuration, and — after a full sync started on the Runs page — the deliveries it made on
 * the charts, without a reload (the page follows the engine's events).
 */
test.use({ storageState: ADMIN_STATE });

const SHIPPED = ["Dashboard", "CMS (Payload)", "Lead Centre"];

test("the Overview shows every system and the topology, and a full sync shows up on its charts", async ({ page }, testInfo) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

  // Every system: one tile each, one box each in the picture.
  const tiles = page.getByRole("region", { name: "Systems" }).getByRole("article");
  await expect(tiles.first()).toBeVisible(); // the tiles come with the live data: wait for them before reading
  const names = (await tiles.locator("h3").allInnerTexts()).map((n) => n.trim());
  expect(names).toEqual(expect.arrayContaining(SHIPPED));
  const picture = page.getByRole("img", { name: "Topology: which system feeds which" });
  await expect(picture).toBeVisible();
  await expect(picture.locator("[data-node]")).toHaveCount(names.length);
  for (const name of names) {
    await expect(tiles.filter({ has: page.getByRole("heading", { name, exact: true }) })).toContainText("Waiting to send");
  }

  // The flows, in words: Dashboard ↔ CMS both ways, the Lead Centre fed one way.
  const flows = page.getByRole("list", { name: "Flows" });
  await expect(flows.getByRole("listitem").filter({ hasText: "Industry: Dashboard ↔ CMS (Payload)" })).toContainText("two-way");
  await expect(flows.getByRole("listitem").filter({ hasText: "Industry: Dashboard → Lead Centre" })).toContainText("one-way");
  await expect(flows.locator('[data-flow="two-way"]')).not.toHaveCount(0);
  await expect(flows.locator('[data-flow="one-way"]')).not.toHaveCount(0);
  await expect(page.getByRole("status").filter({ hasText: /^Live: updates as the engine reports$/ })).toBeVisible();

  // A full sync of the industries from the Dashboard, from the Runs page: the bar reaches done.
  await page.goto("/runs");
  const syncNow = page.getByRole("form", { name: "Sync now" });
  await syncNow.getByLabel("Entity").selectOption("industry");
  await syncNow.getByLabel("System to read from").selectOption("dashboard");
  await syncNow.getByLabel("Kind").selectOption("full");
  await syncNow.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const runPath = new URL(page.url()).pathname;
  const bar = page.getByRole("progressbar", { name: "Reading" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(bar).toHaveAttribute("aria-valuetext", /^100 %: Done/);

  // The run, opened from the history, lists its items.
  await page.goto("/runs");
  await page.locator(`a[href="${runPath}"]`).first().click();
  await expect(page).toHaveURL((url) => url.pathname === runPath);
  await expect(page.getByRole("region", { name: "Per-item outcomes" }).locator("tbody tr")).not.toHaveCount(0);

  // The Overview's charts show the deliveries it made (the page refreshes itself as they succeed).
  await page.goto("/");
  const delivered = page.getByTestId("chart-delivered");
  await expect(delivered.getByRole("heading", { name: "Deliveries per minute" })).toBeVisible();
  await expect(delivered).toContainText(/[1-9]\d* succeeded in the last 60 minutes\./, { timeout: 60_000 });
  await expect(delivered.locator(".recharts-bar-rectangle")).not.toHaveCount(0);
  await expect(page.getByTestId("chart-lag")).toContainText(/p95 peaked at/);
  const cms = tiles.filter({ has: page.getByRole("heading", { name: "CMS (Payload)", exact: true }) });
  await expect(cms.locator("dd").filter({ hasText: /^never$/ })).toHaveCount(0); // its last success is shown
  await page.screenshot({ path: testInfo.outputPath("overview.png"), fullPage: true });
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);

  // The 24-hour view, per hour.
  await page.getByRole("link", { name: "Last 24 hours, per hour" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("range") === "24h");
  await expect(page.getByRole("link", { name: "Last 24 hours, per hour" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByTestId("chart-delivered")).toContainText(/[1-9]\d* succeeded in the last 24 hours\./);
  await expect(page.getByTestId("chart-delivered").getByRole("heading", { name: "Deliveries per hour" })).toBeVisible();
});
