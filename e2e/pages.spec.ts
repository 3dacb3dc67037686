import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, PAGES, screenshotPath } from "./helpers";

/**
 * Every page of the console, as an admin: the keyboard-only run first (so runs, records and deliveries
 * exist even when this file runs alone), then a screenshot of each page (the e2e artifacts) and an
 * accessibility check that every control has a name a screen reader can say.
 */
test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

/** Controls without a label are what these rules catch (axe-core's names). */
const LABEL_RULES = ["label", "button-name", "select-name", "link-name", "input-button-name", "aria-input-field-name", "aria-toggle-field-name", "image-alt", "document-title", "html-has-lang"];

async function checkPage(page: Page, slug: string) {
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/^Loading/)).toHaveCount(0, { timeout: 30_000 });
  await page.waitForLoadState("networkidle").catch(() => undefined);
  await page.screenshot({ path: screenshotPath(`page-${slug}`), fullPage: true });
  const { violations } = await new AxeBuilder({ page }).withRules(LABEL_RULES).analyze();
  expect(violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`), `unlabelled controls on ${page.url()}`).toEqual([]);
}

/** The first link on `listPath` whose href matches, or null when the list is empty. */
async function firstDetail(page: Page, listPath: string, href: RegExp): Promise<string | null> {
  await page.goto(listPath);
  // Past the page's loading state (its title shows first), so the list is there to read.
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText(/^Loading/)).toHaveCount(0, { timeout: 30_000 });
  const links = await page.locator("main a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
  return links.find((h) => href.test(h)) ?? null;
}

test("the main flow works with the keyboard alone: start a run from the Runs page and open its items", async ({ page }) => {
  await page.goto("/runs");
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  const focusedName = () => page.evaluate(() => (document.activeElement as HTMLElement | null)?.innerText?.trim() || document.activeElement?.getAttribute("aria-label") || "");
  let found = false;
  for (let i = 0; i < 80 && !found; i++) {
    await page.keyboard.press("Tab");
    found = (await focusedName()) === "Start run";
  }
  expect(found, "Tab reaches the Start run button").toBe(true);
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/, { timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Run status" })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole("region", { name: "Run status" })).toContainText(/succeeded|running|queued/i);
});

test("every page has a screenshot and every control a label", async ({ page }) => {
  test.setTimeout(180_000);
  for (const { path, slug } of PAGES) {
    await page.goto(path);
    await checkPage(page, slug);
  }
  const details: [string, string, RegExp][] = [
    ["run", "/runs", /^\/runs\/[0-9a-f-]{36}$/],
    ["record", "/records", /^\/records\/[0-9a-f-]{36}$/],
    ["delivery", "/deliveries", /^\/deliveries\/\d+$/],
    ["system", "/systems", /^\/systems\/[a-z-]+$/],
    ["drift", "/links", /^\/links\/drift/],
  ];
  for (const [slug, list, href] of details) {
    const target = await firstDetail(page, list, href);
    expect(target, `a ${slug} to open from ${list}`).not.toBeNull();
    await page.goto(target!);
    await checkPage(page, slug);
  }
});
