import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, pathIs, screenshotPath } from "./helpers";

/**
 * The console with its engine, as the test server runs it: three configured systems and no sample
 * systems behind them (no base URLs until one is set here), so runs fail honestly and lists are empty.
 */
test.use({ storageState: ADMIN_STATE });

/** An address nothing listens on: reading it fails at once with "connection refused". */
const CMS_URL = "http://127.0.0.1:9";

const systemCard = (page: Page, name: string) => page.getByRole("article", { name });

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `sideways scroll on ${new URL(page.url()).pathname}`).toBeLessThanOrEqual(0);
}

test("the admin edits the CMS connection, sets its credential and rotates its webhook secret", async ({ page }) => {
  await page.goto("/systems");
  await expect(page.getByRole("heading", { level: 1, name: "Systems" })).toBeVisible();
  const cms = systemCard(page, "CMS (Payload)");
  await expect(cms).toContainText("Not set: runs and deliveries fail until it is");
  await expect(systemCard(page, "Dashboard")).toBeVisible();
  await expect(systemCard(page, "Lead Centre")).toBeVisible();

  // A wrong URL is refused next to its field.
  await cms.getByText("Edit connection settings and credential").click();
  await cms.getByLabel("Base URL").fill("ftp://cms.example.test");
  await cms.getByRole("button", { name: "Save settings" }).click();
  await expect(cms.getByText(/^Must be an http\(s\) URL/)).toBeVisible();
  await expect(cms.getByLabel("Base URL")).toHaveAttribute("aria-invalid", "true");

  // Saved, and still there after a reload.
  await cms.getByLabel("Base URL").fill(CMS_URL);
  await cms.getByLabel("Rate limit (requests/s)").fill("2.5");
  await cms.getByLabel("Retry delays (seconds, comma-separated)").fill("5, 60, 600");
  await cms.getByRole("button", { name: "Save settings" }).click();
  await expect(cms.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await page.reload();
  await expect(cms).toContainText(CMS_URL);
  await expect(cms).toContainText("2.5 requests/s");
  await expect(cms).toContainText("5 s, 1 min, 10 min");
  await cms.getByText("Edit connection settings and credential").click();
  await expect(cms.getByLabel("Base URL")).toHaveValue(CMS_URL);
  await expect(cms.getByLabel("Rate limit (requests/s)")).toHaveValue("2.5");

  // The credential is write-only: only a mask comes back.
  const credential = "users API-Key e2e-credential-7731";
  await cms.getByLabel("New credential (whole header value)").fill(credential);
  await cms.getByRole("button", { name: "Set credential" }).click();
  await expect(cms.getByRole("status").filter({ hasText: "Credential saved." })).toBeVisible();
  await expect(cms).toContainText("••••7731");
  await expect(page.locator("body")).not.toContainText(credential);

  // Disable and enable again.
  await cms.getByRole("button", { name: "Disable CMS (Payload)" }).click();
  await expect(cms.getByRole("button", { name: "Enable CMS (Payload)" })).toBeVisible();
  await expect(cms).toContainText("disabled");
  await cms.getByRole("button", { name: "Enable CMS (Payload)" }).click();
  await expect(cms.getByRole("button", { name: "Disable CMS (Payload)" })).toBeVisible();

  // A new webhook secret is shown once, and gone after a reload.
  await cms.getByRole("button", { name: "Rotate webhook secret of CMS (Payload)" }).click();
  const box = cms.getByRole("status").filter({ hasText: "New webhook secret for CMS (Payload): shown once" });
  await expect(box).toBeVisible();
  await expect(box.getByTestId("webhook-secret")).toHaveText(/^whsec_\S{20,}$/);
  await expect(box.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(cms).toContainText("1 stored");
  await page.screenshot({ path: screenshotPath("systems"), fullPage: true });
  const secret = (await box.getByTestId("webhook-secret").textContent()) ?? "";
  await page.reload();
  await expect(systemCard(page, "CMS (Payload)")).toContainText("1 stored");
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);
});

test("a dry run of the Dashboard without a base URL ends failed with a clear error", async ({ page }) => {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  const syncNow = page.getByRole("form", { name: "Sync now" });
  await syncNow.getByLabel("Entity").selectOption("industry");
  await syncNow.getByLabel("System to read from").selectOption("dashboard");
  await syncNow.getByLabel("Kind").selectOption("dry-run");
  await syncNow.getByRole("button", { name: "Start run" }).click();

  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Dry run of industry from Dashboard" })).toBeVisible();
  await expect(page.getByTestId("run-status")).toHaveText("failed", { timeout: 15_000 });
  await expect(page.getByTestId("run-error")).toContainText('System "dashboard" has no base URL yet: set it on the Systems page.');
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("run-detail"), fullPage: true });

  // It is in the history, and the filters find it.
  const runUrl = new URL(page.url()).pathname;
  await page.getByRole("link", { name: "← All runs" }).click();
  await expect(page).toHaveURL(pathIs("/runs"));
  const filters = page.getByRole("search", { name: "Filter runs" });
  await filters.getByLabel("Status").selectOption("failed");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("status") === "failed");
  const region = page.getByRole("region", { name: "Sync runs" });
  await expect(region.locator(`tr[data-run="${runUrl.split("/").pop()}"]`)).toContainText("dry run of industry");
  await filters.getByLabel("Status").selectOption("succeeded");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { name: "No runs match" })).toBeVisible();
  await page.goto("/runs");
  await page.screenshot({ path: screenshotPath("runs"), fullPage: true });

  // The Overview shows it among the recent runs.
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Recent runs" }).getByRole("row")).not.toHaveCount(0);
  await expect(page.getByRole("article", { name: "Dashboard" })).toContainText("No base URL yet");
  await page.screenshot({ path: screenshotPath("overview"), fullPage: true });
});

test("Deliveries, Conflicts, Links and Records say plainly what is there", async ({ page }) => {
  await page.goto("/deliveries");
  await expect(page.getByRole("heading", { level: 1, name: "Deliveries" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No deliveries yet" })).toBeVisible();
  await expect(page.getByRole("button", { name: /^Replay all/ })).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("deliveries"), fullPage: true });
  await page.goto("/deliveries?status=dead&system=cms");
  await expect(page.getByRole("heading", { name: "No dead deliveries" })).toBeVisible();
  await page.goto("/deliveries/999999");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  await page.goto("/conflicts");
  await expect(page.getByRole("heading", { level: 1, name: "Conflicts" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "No open conflicts" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Open (0)" })).toHaveAttribute("aria-current", "page");
  await page.screenshot({ path: screenshotPath("conflicts"), fullPage: true });
  await page.getByRole("link", { name: "Resolved (0)" }).click();
  await expect(page.getByRole("heading", { name: "No resolved conflicts yet" })).toBeVisible();

  // The CMS has an address nothing answers at; the Dashboard has none: each says so plainly.
  await page.goto("/links");
  await expect(page.getByRole("heading", { level: 1, name: "Links" })).toBeVisible();
  await expect(page.getByRole("link", { name: "CMS (Payload)" })).toHaveAttribute("aria-current", "page");
  const alert = page.getByRole("alert").filter({ hasText: "Could not read CMS (Payload)" });
  await expect(alert).toContainText(/request failed|no answer within/);
  await page.getByRole("navigation", { name: "System" }).getByRole("link", { name: "Dashboard" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("system") === "dashboard");
  await expect(page.getByTestId("links-error")).toHaveText('System "dashboard" has no base URL yet: set it on the Systems page.');
  await page.screenshot({ path: screenshotPath("links"), fullPage: true });

  await page.goto("/records");
  await expect(page.getByRole("heading", { name: "The record browser is not here yet" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "Deliveries", exact: true })).toBeVisible();
  await page.screenshot({ path: screenshotPath("records"), fullPage: true });
});

test("on a 375px phone the console pages do not scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ["/", "/systems", "/runs", "/deliveries", "/conflicts", "/links", "/records"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await noSidewaysScroll(page);
  }
  await page.goto("/systems");
  await systemCard(page, "Dashboard").getByText("Edit connection settings and credential").click();
  await noSidewaysScroll(page);
  await page.screenshot({ path: screenshotPath("systems-375"), fullPage: true });
  await page.goto("/runs");
  await page.getByRole("region", { name: "Sync runs" }).getByRole("link").first().click();
  await expect(page.getByTestId("run-status")).toBeVisible();
  await noSidewaysScroll(page);
  await page.screenshot({ path: screenshotPath("run-detail-375"), fullPage: true });
});
