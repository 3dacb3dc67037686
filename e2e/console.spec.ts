import { expect, test, type Locator, type Page } from "@playwright/test";
import { ADMIN_STATE, pathIs, SAMPLE_AUTH, SAMPLES_URL, screenshotPath } from "./helpers";

/**
 * The console with its engine against the sample systems the e2e runner starts (Dashboard, CMS, Lead
 * Centre, seeded with the demo data): Concord reaches them through CONCORD_SYSTEM_* overrides, so runs
 * read real documents and deliveries land in the other systems. The tests in this file build on each
 * other (a sync fills what the later pages show), so they run in order.
 */
test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const systemCard = (page: Page, name: string) => page.getByRole("article", { name });

async function noSidewaysScroll(page: Page) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow, `sideways scroll on ${new URL(page.url()).pathname}`).toBeLessThanOrEqual(0);
}

/** The number a run's Counts grid shows for `key` (created, fetched…). */
async function runCount(page: Page, key: string): Promise<number> {
  const cell = page.getByRole("region", { name: "Run status" }).locator("div").filter({ has: page.locator("dt", { hasText: new RegExp(`^${key}$`) }) });
  return Number(await cell.locator("dd").textContent());
}

/** Starts a run from the Sync now form on /runs and waits for its page. */
async function startRun(page: Page, opts: { system: string; kind: "full" | "dry-run" }) {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  const syncNow = page.getByRole("form", { name: "Sync now" });
  await syncNow.getByLabel("Entity").selectOption("industry");
  await syncNow.getByLabel("System to read from").selectOption(opts.system);
  await syncNow.getByLabel("Kind").selectOption(opts.kind);
  await syncNow.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
}

/** GET a sample system's API, as Concord does. */
async function samplesGet(page: Page, system: keyof typeof SAMPLE_AUTH, path: string) {
  const res = await page.request.get(`${SAMPLES_URL}/${system}/api/${path}`, { headers: { Authorization: SAMPLE_AUTH[system] } });
  expect(res.status(), `${system} ${path}`).toBe(200);
  return res.json() as Promise<unknown>;
}

const cmsIndustries = async (page: Page) => ((await samplesGet(page, "cms", "industries?limit=100")) as { docs: { slug: string; name: string }[] }).docs;
const dashboardIndustries = async (page: Page) => ((await samplesGet(page, "dashboard", "industries?per_page=100")) as { data: { slug: string; name: string }[] }).data;

const setFaults = async (page: Page, system: keyof typeof SAMPLE_AUTH, faults: Record<string, unknown>) => {
  const res = await page.request.put(`${SAMPLES_URL}/${system}/_faults`, { data: faults });
  expect(res.ok()).toBe(true);
};

test("every system is reached through its override, and the admin edits the CMS settings, credential and webhook secret", async ({ page }) => {
  await page.goto("/systems");
  await expect(page.getByRole("heading", { level: 1, name: "Systems" })).toBeVisible();
  for (const [name, key] of [["Dashboard", "dashboard"], ["CMS (Payload)", "cms"], ["Lead Centre", "lead-centre"]] as const) {
    const row = page.getByRole("region", { name: "Systems" }).locator(`tr[data-system="${key}"]`);
    await expect(row).toContainText(name);
    await expect(row).toContainText(`${SAMPLES_URL}/${key}`);
    await expect(row).toContainText("from env");
    await expect(row).not.toContainText("No URL set");
  }
  await page.screenshot({ path: screenshotPath("systems-list"), fullPage: true });
  // Its settings are on its own page.
  await page.getByRole("region", { name: "Systems" }).getByRole("link", { name: "CMS (Payload)" }).click();
  await expect(page).toHaveURL((u) => u.pathname === "/systems/cms");
  const cms = systemCard(page, "CMS (Payload)");

  // A wrong URL is refused next to its field.
  await cms.getByText("Edit connection settings and credential").click();
  await cms.getByLabel("Base URL").fill("ftp://cms.example.test");
  await cms.getByRole("button", { name: "Save settings" }).click();
  await expect(cms.getByText(/^Must be an http\(s\) URL/)).toBeVisible();
  await expect(cms.getByLabel("Base URL")).toHaveAttribute("aria-invalid", "true");

  // Saved, and still there after a reload; the environment's URL stays the one in effect.
  await cms.getByLabel("Base URL").fill("https://cms.example.test");
  await cms.getByLabel("Rate limit (requests/s)").fill("25");
  await cms.getByLabel("Retry delays (seconds, comma-separated)").fill("5, 60, 600");
  await cms.getByRole("button", { name: "Save settings" }).click();
  await expect(cms.getByRole("status").filter({ hasText: "Settings saved." })).toBeVisible();
  await page.reload();
  await expect(cms).toContainText(`${SAMPLES_URL}/cms`);
  await expect(cms).toContainText("25 requests/s");
  await expect(cms).toContainText("5 s, 1 min, 10 min");
  await cms.getByText("Edit connection settings and credential").click();
  await expect(cms.getByLabel("Base URL")).toHaveValue("https://cms.example.test");
  await expect(cms.getByLabel("Rate limit (requests/s)")).toHaveValue("25");
  await expect(cms.getByText("An environment variable sets the URL in effect; this stored one is used without it.")).toBeVisible();

  // The credential is write-only: it is never shown, and the environment's stays in effect.
  const credential = "users API-Key e2e-credential-7731";
  await cms.getByLabel("New credential (whole header value)").fill(credential);
  await cms.getByRole("button", { name: "Set credential" }).click();
  await expect(cms.getByRole("status").filter({ hasText: "Credential saved." })).toBeVisible();
  await expect(page.locator("body")).not.toContainText(credential);
  await expect(cms).not.toContainText("••••7731");

  // Disable and enable again.
  await cms.getByRole("button", { name: "Disable CMS (Payload)" }).click();
  await expect(cms.getByRole("button", { name: "Enable CMS (Payload)" })).toBeVisible();
  await expect(cms).toContainText("disabled");
  await cms.getByRole("button", { name: "Enable CMS (Payload)" }).click();
  await expect(cms.getByRole("button", { name: "Disable CMS (Payload)" })).toBeVisible();

  // A new webhook secret is shown once, and gone after a reload; the environment's keeps working beside it.
  await cms.getByRole("button", { name: "Rotate webhook secret of CMS (Payload)" }).click();
  const box = cms.getByRole("status").filter({ hasText: "New webhook secret for CMS (Payload): shown once" });
  await expect(box).toBeVisible();
  await expect(box.getByTestId("webhook-secret")).toHaveText(/^whsec_\S{20,}$/);
  await expect(box.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await expect(cms).toContainText("1 stored, plus one from env");
  await page.screenshot({ path: screenshotPath("systems"), fullPage: true });
  const secret = (await box.getByTestId("webhook-secret").textContent()) ?? "";
  await page.reload();
  await expect(systemCard(page, "CMS (Payload)")).toContainText("1 stored");
  await expect(page.getByTestId("webhook-secret")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(secret);
});

test("a full run of the industries from the Dashboard: the bar reaches done, counts and outcomes show, the CMS holds them", async ({ page }) => {
  const fromDashboard = await dashboardIndustries(page);
  expect(fromDashboard.length).toBeGreaterThan(10);
  const before = new Set((await cmsIndustries(page)).map((d) => d.slug));
  const missing = fromDashboard.filter((d) => !before.has(d.slug));
  expect(missing.length, "the Dashboard holds industries the CMS has not got").toBeGreaterThan(0);

  // The Dashboard answers slowly for a moment, so the run is seen going.
  await setFaults(page, "dashboard", { latencyMs: 1500 });
  try {
    const stream = page.waitForRequest((req) => /\/api\/sync\/runs\/[0-9a-f-]{36}\/events$/.test(req.url()), { timeout: 15_000 });
    await startRun(page, { system: "dashboard", kind: "full" });
    // The page follows the run's own event stream.
    expect(new URL((await stream).url()).pathname).toBe(`${new URL(page.url()).pathname}/events`.replace("/runs/", "/api/sync/runs/"));
    await expect(page.getByRole("heading", { level: 1, name: "Full of industry from Dashboard" })).toBeVisible();
    const bar = page.getByRole("progressbar", { name: "Reading" });
    await expect(bar).toBeVisible();
    await expect(bar).toHaveAttribute("aria-valuemin", "0");
    await expect(bar).toHaveAttribute("aria-valuemax", "100");
    const early = Number(await bar.getAttribute("aria-valuenow"));
    expect(early).toBeGreaterThanOrEqual(0);
    await expect(page.getByTestId("run-status")).toHaveText(/queued|running|succeeded/);
    await page.screenshot({ path: screenshotPath("run-detail-running"), fullPage: true });
  } finally {
    await setFaults(page, "dashboard", { latencyMs: 0 });
  }

  // Live progress, no reload: the bar reaches 100 and says done, the status and counts follow.
  const bar = page.getByRole("progressbar", { name: "Reading" });
  await expect(bar).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(bar).toHaveAttribute("aria-valuetext", /^100 %: Done/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  await expect(page.getByTestId("run-progress-text")).toContainText(`Done: ${fromDashboard.length} items read`);
  // What the server renders (actions, per-item rows) follows with the page's refresh, which waits its
  // turn behind the deliveries the run set off.
  await expect(page.getByRole("button", { name: "Cancel run" })).toHaveCount(0, { timeout: 30_000 });
  expect(await runCount(page, "fetched")).toBe(fromDashboard.length);
  expect(await runCount(page, "created")).toBeGreaterThan(0);
  expect(await runCount(page, "failed")).toBe(0);

  // Per-item outcomes: one row per Dashboard industry, created in Concord.
  const items = page.getByRole("region", { name: "Per-item outcomes" });
  await expect(items.getByRole("row").filter({ hasText: "Solar Panel Installation" })).toContainText("created");
  await expect(items.locator("tbody tr")).toHaveCount(fromDashboard.length, { timeout: 30_000 });
  await page.screenshot({ path: screenshotPath("run-detail"), fullPage: true });

  // The deliveries carry them to the CMS (read there with the CMS's own API).
  await expect
    .poll(async () => {
      const inCms = new Set((await cmsIndustries(page)).map((d) => d.slug));
      return fromDashboard.filter((d) => !inCms.has(d.slug)).map((d) => d.slug);
    }, { timeout: 60_000, message: "Dashboard industries not yet in the CMS" })
    // The two that resemble an unlinked CMS document are held for review, not created beside it.
    .toEqual(["roofing", "kitchen-fitting"]);
  const cms = await cmsIndustries(page);
  expect(cms.map((d) => d.name)).toEqual(expect.arrayContaining(missing.filter((d) => !["roofing", "kitchen-fitting"].includes(d.slug)).map((d) => d.name)));
});

test("the first sync made no near-duplicate: kitchen-fitting is held beside kitchen-fitters and linked from the review", async ({ page }) => {
  const cmsBefore = await cmsIndustries(page);
  expect(cmsBefore.map((d) => d.slug)).not.toContain("kitchen-fitting");
  await page.goto("/runs");
  const fullRun = page.getByRole("region", { name: "Sync runs" }).locator("tbody tr").filter({ hasText: /full of industry/i }).filter({ hasText: "from Dashboard" });
  await fullRun.last().getByRole("link").click();
  await expect(page.getByRole("heading", { level: 1, name: "Full of industry from Dashboard" })).toBeVisible();
  const notice = page.getByRole("region", { name: "Possible duplicates held for review" });
  await expect(notice).toContainText("2 records resemble an unlinked industry already in CMS (Payload)");
  await page.screenshot({ path: screenshotPath("run-held-for-review"), fullPage: true });
  await notice.getByRole("link", { name: "link, create anyway or skip" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Links" })).toBeVisible();
  const held = page.getByTestId("possible-duplicate");
  await expect(held).toHaveCount(2);
  const kitchen = held.filter({ hasText: "Kitchen Fitters" });
  await expect(kitchen).toContainText("kitchen-fitting");
  await expect(kitchen).toContainText("0.80 · similar name");
  await page.screenshot({ path: screenshotPath("links-possible-duplicates"), fullPage: true });
  await kitchen.getByRole("button", { name: "Link: Kitchen Fitting" }).click();
  await expect(page.getByTestId("duplicates-outcome")).toContainText('Linked to "Kitchen Fitters"');
  await expect(page.getByTestId("duplicates-outcome")).toContainText("slug");
  await expect(held).toHaveCount(1);
  // The other one in bulk: select it, link the selected.
  await held.getByRole("checkbox", { name: "Select Roofing", exact: true }).check();
  await page.getByRole("button", { name: "Link selected (1)" }).click();
  await expect(held).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("links-duplicates-decided"), fullPage: true });

  // The CMS gained nothing; the Dashboard's Kitchen Fitting now holds the CMS id of Kitchen Fitters.
  const kitchenFitters = cmsBefore.find((d) => d.slug === "kitchen-fitters") as { id?: string } | undefined;
  await expect.poll(async () => (await dashboardIndustries(page) as { slug: string; cms_id?: string | null }[]).find((d) => d.slug === "kitchen-fitting")?.cms_id, { timeout: 30_000 }).toBe(kitchenFitters?.id);
  expect((await cmsIndustries(page)).length).toBe(cmsBefore.length);
  expect((await cmsIndustries(page)).map((d) => d.slug)).not.toContain("kitchen-fitting");
  // The differing slugs wait on the Conflicts page, naming both systems.
  await page.goto("/conflicts");
  await expect(page.getByText("kitchen-fitters").first()).toBeVisible();
});

test("a dry run from the CMS shows its plan and changes nothing", async ({ page }) => {
  const cmsBefore = await cmsIndustries(page);
  await startRun(page, { system: "cms", kind: "dry-run" });
  await expect(page.getByRole("heading", { level: 1, name: "Dry run of industry from CMS (Payload)" })).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Reading" })).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  expect(await runCount(page, "fetched")).toBe(cmsBefore.length);

  // The CMS-only industries (Web Design…) would be created in Concord and sent on.
  // The plan comes with the server's render after the run ends (it may wait behind earlier deliveries).
  await expect(page.getByRole("heading", { level: 2, name: "Plan" })).toBeVisible({ timeout: 30_000 });
  const plan = page.getByRole("region", { name: "Planned changes" });
  const webDesign = plan.getByRole("row").filter({ hasText: "Web Design" });
  await expect(webDesign).toContainText("create");
  await expect(webDesign).toContainText("Dashboard");
  await expect(page.getByText("A dry run applies nothing, so it records no per-item outcomes: see its plan.")).toBeVisible();
  await page.screenshot({ path: screenshotPath("run-dry-run"), fullPage: true });
  expect((await cmsIndustries(page)).length).toBe(cmsBefore.length);
  const inDashboard = (await dashboardIndustries(page)).map((d) => d.slug);
  expect(inDashboard).not.toContain("web-design");

  // It is in the history, and the filters find it.
  const runId = new URL(page.url()).pathname.split("/").pop()!;
  await page.getByRole("link", { name: "← All runs" }).click();
  await expect(page).toHaveURL(pathIs("/runs"));
  const filters = page.getByRole("search", { name: "Filter runs" });
  await filters.getByLabel("Kind").selectOption("dry-run");
  await filters.getByLabel("Status").selectOption("succeeded");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("kind") === "dry-run" && url.searchParams.get("status") === "succeeded");
  const region = page.getByRole("region", { name: "Sync runs" });
  await expect(region.locator(`tr[data-run="${runId}"]`)).toContainText("dry run of industry");
  await filters.getByLabel("Status").selectOption("failed");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { name: "No runs match" })).toBeVisible();
  await page.goto("/runs");
  await page.screenshot({ path: screenshotPath("runs"), fullPage: true });

  // The Overview shows both runs among the recent ones.
  await page.goto("/");
  await expect(page.getByRole("region", { name: "Recent runs" }).getByRole("row")).not.toHaveCount(0);
  await page.screenshot({ path: screenshotPath("overview"), fullPage: true });
});

test("Deliveries, Conflicts, Links and Records show what the sync left", async ({ page }) => {
  // The run's deliveries to the CMS and the Lead Centre, each with the system's answer.
  await page.goto("/deliveries");
  await expect(page.getByRole("heading", { level: 1, name: "Deliveries" })).toBeVisible();
  const deliveries: Locator = page.getByRole("region", { name: "Deliveries" });
  await expect(deliveries.locator("tbody tr")).not.toHaveCount(0);
  await expect(deliveries).toContainText("CMS (Payload)");
  await expect(deliveries).toContainText("Lead Centre");
  await page.screenshot({ path: screenshotPath("deliveries"), fullPage: true });
  await page.goto("/deliveries?status=dead&system=cms");
  await expect(page.getByRole("heading", { name: "No dead deliveries" })).toBeVisible();
  await page.goto("/deliveries/999999");
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();

  await page.goto("/conflicts");
  await expect(page.getByRole("heading", { level: 1, name: "Conflicts" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Open \(\d+\)$/ })).toHaveAttribute("aria-current", "page");
  await page.screenshot({ path: screenshotPath("conflicts"), fullPage: true });
  await page.getByRole("link", { name: /^Resolved \(\d+\)$/ }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/conflicts" && url.search.includes("resolved"));

  // The CMS is read for real now: its own industries are not linked to anything in Concord yet.
  await page.goto("/links?system=cms");
  await expect(page.getByRole("heading", { level: 1, name: "Links" })).toBeVisible();
  await expect(page.getByRole("link", { name: "CMS (Payload)" })).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("alert").filter({ hasText: "Could not read" })).toHaveCount(0);
  await expect(page.getByRole("region", { name: "Documents in CMS (Payload) not linked" })).toContainText("Web Design");
  await page.screenshot({ path: screenshotPath("links"), fullPage: true });

  await page.goto("/records");
  await expect(page.getByRole("heading", { level: 1, name: "Records" })).toBeVisible();
  await page.screenshot({ path: screenshotPath("records"), fullPage: true });
});

test("on a 375px phone the console pages do not scroll sideways", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  for (const path of ["/", "/systems", "/runs", "/deliveries", "/conflicts", "/links", "/records", "/settings"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await noSidewaysScroll(page);
  }
  await page.goto("/systems/dashboard");
  await systemCard(page, "Dashboard").getByText("Edit connection settings and credential").click();
  await noSidewaysScroll(page);
  await page.screenshot({ path: screenshotPath("systems-375"), fullPage: true });
  await page.goto("/runs");
  await page.getByRole("region", { name: "Sync runs" }).getByRole("link").first().click();
  await expect(page.getByTestId("run-status")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Reading" })).toBeVisible();
  await noSidewaysScroll(page);
  await page.screenshot({ path: screenshotPath("run-detail-375"), fullPage: true });
});
