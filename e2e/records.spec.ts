import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL, VIEWER_STATE } from "./helpers";

/**
 * The Records pages against the sample systems: a full sync of the Dashboard's industries fills Concord,
 * then one record is searched, opened (values per system, live read, history), deleted in the sample
 * Dashboard (a tombstone), restored from its page and seen back in the sample CMS.
 */
test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const SLUG = "solar-panel-installation";
const NAME = "Solar Panel Installation";

async function samples<T>(page: Page, system: keyof typeof SAMPLE_AUTH, path: string, method: "GET" | "DELETE" = "GET"): Promise<T | null> {
  const res = await page.request.fetch(`${SAMPLES_URL}/${system}/api/${path}`, { method, headers: { Authorization: SAMPLE_AUTH[system] } });
  expect(res.ok(), `${method} ${system} ${path}: ${res.status()}`).toBe(true);
  return res.status() === 204 ? null : ((await res.json()) as T);
}
const inCms = async (page: Page, slug: string) => ((await samples<{ docs: { slug: string }[] }>(page, "cms", "industries?limit=200"))!.docs).filter((d) => d.slug === slug).length;
const inDashboard = async (page: Page, slug: string) => (await samples<{ data: { id: number; slug: string }[] }>(page, "dashboard", `industries?slug=${slug}`))!.data;

async function noAxeViolations(page: Page) {
  // The shared Pagination's greyed-out Previous/Next (aria-hidden, text-zinc-400) fails contrast: reported, not ours to change.
  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).exclude('nav[aria-label="Pagination"] [aria-hidden="true"]').analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

/** Opens a record's page through the Records search. */
async function openRecord(page: Page, search: string, name: string, show?: string) {
  await page.goto("/records");
  await expect(page.getByRole("heading", { level: 1, name: "Records" })).toBeVisible();
  await expect(page.getByRole("navigation", { name: "Entity" }).getByRole("link", { name: "Industry" })).toHaveAttribute("aria-current", "page");
  const form = page.getByRole("search", { name: "Search industry records" });
  await form.getByLabel("Search").fill(search);
  if (show) await form.getByLabel("Show").selectOption({ label: show });
  await form.getByRole("button", { name: "Search" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("q") === search);
  const table = page.getByRole("region", { name: "Industry records" });
  await table.getByRole("link", { name }).click();
  await expect(page).toHaveURL(/\/records\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name })).toBeVisible();
  return table;
}

test("a full sync of the Dashboard's industries fills Records", async ({ page }) => {
  await page.goto("/runs");
  const syncNow = page.getByRole("form", { name: "Sync now" });
  await syncNow.getByLabel("Entity").selectOption("industry");
  await syncNow.getByLabel("System to read from").selectOption("dashboard");
  await syncNow.getByLabel("Kind").selectOption("full");
  await syncNow.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("run-status")).toHaveText("succeeded", { timeout: 60_000 });
  await expect.poll(() => inCms(page, SLUG), { timeout: 60_000, message: "the CMS got the Dashboard's industry" }).toBe(1);

  await page.goto("/records");
  const table = page.getByRole("region", { name: "Industry records" });
  await expect(table.locator("tbody tr")).not.toHaveCount(0);
  await expect(page.getByText(/^\d+ industry records, by slug$/)).toBeVisible();
  await noAxeViolations(page);
});

test("search a record, see its values per system, read it live and follow its history", async ({ page }) => {
  await openRecord(page, "Solar P", NAME);
  const values = page.getByRole("region", { name: "Values per system" });
  for (const column of ["Concord", "Dashboard", "CMS (Payload)", "Lead Centre"]) await expect(values.getByRole("columnheader", { name: column })).toBeVisible();
  await expect(values.getByRole("row").filter({ has: page.getByRole("rowheader", { name: "slug" }) })).toContainText(SLUG);
  await expect(values).toContainText("is_active");
  const links = page.getByRole("region", { name: "Links" });
  await expect(links.getByRole("row", { name: /CMS \(Payload\)/ })).toContainText("Concord (sync)");

  const history = page.getByRole("list", { name: "History, newest first" });
  await expect(history).toContainText("Created from Dashboard");
  await expect(history).toContainText(/Delivery #\d+ to CMS \(Payload\): create/);
  await expect(history.getByText(/HTTP 201/).first()).toBeVisible();

  await page.getByRole("button", { name: "Read live from each system" }).click();
  const live = page.getByRole("region", { name: "Live values" });
  await expect(live).toBeVisible({ timeout: 15_000 });
  await expect(live.getByRole("columnheader", { name: "CMS (Payload) now" })).toBeVisible();
  await expect(page.getByText("Every system holds the same values as Concord.")).toBeVisible();
  await page.screenshot({ path: "test-results/record-page.png", fullPage: true });
  await noAxeViolations(page);

  // On a 375px phone nothing scrolls sideways: the tables scroll inside their own regions.
  await page.setViewportSize({ width: 375, height: 800 });
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: NAME })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
});

test("deleted in the sample Dashboard: tombstoned, then restored from its page and back in the CMS", async ({ page }) => {
  await openRecord(page, "solar-panel", NAME);
  const [doc] = await inDashboard(page, SLUG);
  expect(doc, "the Dashboard holds the industry").toBeTruthy();
  await samples(page, "dashboard", `industries/${doc!.id}`, "DELETE");

  // The page follows the engine live: no reload needed.
  const tombstone = page.getByRole("region", { name: "This record is deleted" });
  await expect(tombstone).toBeVisible({ timeout: 30_000 });
  await expect(tombstone).toContainText("Dashboard");
  await expect(tombstone).toContainText(/in (30|29) days/);
  await expect.poll(() => inCms(page, SLUG), { timeout: 30_000, message: "the delete reached the CMS" }).toBe(0);
  await page.screenshot({ path: "test-results/record-page-deleted.png", fullPage: true });

  // The deleted filter finds it.
  await openRecord(page, "solar-panel", NAME, "Deleted only (tombstones)");
  await page.getByRole("button", { name: `Restore ${NAME}` }).click();
  await expect(page.getByRole("status").filter({ hasText: "Restored." })).toBeVisible();
  await expect(page.getByRole("region", { name: "This record is deleted" })).toHaveCount(0, { timeout: 15_000 });
  await expect.poll(() => inCms(page, SLUG), { timeout: 30_000, message: "the restore reached the CMS" }).toBe(1);
  await expect.poll(async () => (await inDashboard(page, SLUG)).length, { timeout: 30_000 }).toBe(1);
  await page.reload();
  const history = page.getByRole("list", { name: "History, newest first" });
  await expect(history).toContainText("Restored");
  await expect(history).toContainText("Deleted in Dashboard");
  await page.screenshot({ path: "test-results/record-page-restored.png", fullPage: true });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("sees a tombstone and may read live, but gets no Restore button", async ({ page }) => {
    const [doc] = await inDashboard(page, "pest-control");
    expect(doc, "the Dashboard holds Pest Control").toBeTruthy();
    await samples(page, "dashboard", `industries/${doc!.id}`, "DELETE");
    await expect.poll(() => inCms(page, "pest-control"), { timeout: 30_000, message: "the delete reached the CMS" }).toBe(0);
    await page.goto("/records?show=deleted");
    await page.getByRole("region", { name: "Industry records" }).getByRole("link", { name: "Pest Control" }).click();
    await expect(page.getByRole("region", { name: "This record is deleted" })).toBeVisible();
    await expect(page.getByText("Only admins can restore a deleted record.")).toBeVisible();
    await expect(page.getByRole("button", { name: /^Restore/ })).toHaveCount(0);
    await expect(page.getByRole("button", { name: "Read live from each system" })).toBeVisible();
  });
});
