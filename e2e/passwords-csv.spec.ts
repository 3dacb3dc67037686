import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL, screenshotPath } from "./helpers";

/**
 * A fleet sync of one vessel makes several Maintenance Portal users; their temporary passwords download once as
 * a CSV (name, email, password) from the users' run page, and then Concord no longer has them.
 */
test.use({ storageState: ADMIN_STATE });

type Doc = Record<string, unknown>;
async function api(page: Page, system: "onboarding" | "maintenance", path: string): Promise<Doc> {
  const res = await page.request.get(`${SAMPLES_URL}/${system}/api/${path}`, { headers: { Authorization: SAMPLE_AUTH[system] } });
  expect(res.status(), `${system} ${path}`).toBe(200);
  return (await res.json()) as Doc;
}

/** An approved vessel of an approved company with at least two approved users, none synced yet (the last such one). */
async function vesselWithUsers(page: Page) {
  const vessels = (await api(page, "onboarding", "sync/vessels?approvalStatus=approved&limit=100")).data as Doc[];
  for (const v of [...vessels].reverse()) {
    if (!/^\d{7}$/.test(String(v.imoNumber))) continue;
    const company = (await api(page, "onboarding", `sync/companies/${String(v.companyId)}`)).data as Doc;
    if (company.approvalStatus !== "approved") continue;
    const users = ((await api(page, "onboarding", `sync/users?vesselId=${String(v.id)}&approvalStatus=approved&limit=100`)).data as Doc[]).filter((u) => String(u.email).includes("@"));
    const inPortal = (await api(page, "maintenance", `vessels?imo=${String(v.imoNumber)}`)).results as Doc[];
    if (users.length >= 2 && inPortal.length === 0) return { vessel: v, users };
  }
  throw new Error("no unsynced approved vessel with two approved users in the sample fleet");
}

test("the temporary passwords of a run download once as a CSV, then they are gone", async ({ page }) => {
  test.setTimeout(120_000);
  const { vessel, users } = await vesselWithUsers(page);
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Sync the fleet" });
  await form.getByLabel("One vessel").check();
  await form.getByLabel("Vessel (IMO number or Onboarding Portal id)").fill(String(vessel.imoNumber));
  await form.getByRole("button", { name: "Start fleet sync" }).click();
  await expect(page).toHaveURL(/\/runs\/groups\/[0-9a-f-]{36}$/); // the fleet sync's own page
  const emails = users.map((u) => String(u.email).toLowerCase()).sort();
  await expect
    .poll(async () => ((await api(page, "maintenance", "users?limit=500")).results as Doc[]).map((u) => String(u.email)).filter((e) => emails.includes(e)).sort(), { timeout: 60_000 })
    .toEqual(emails);

  await page.goto("/runs?system=onboarding");
  await page.getByRole("table").getByRole("row").filter({ hasText: "user" }).first().getByRole("link").first().click();
  const passwords = page.getByRole("region", { name: "Temporary passwords" });
  await expect(passwords).toBeVisible({ timeout: 15_000 });
  const button = passwords.getByRole("button", { name: /^Download all \d+ as CSV \(once\)$/ });
  await expect(button).toBeVisible();
  await page.screenshot({ path: screenshotPath("run-temporary-passwords"), fullPage: true });
  const downloading = page.waitForEvent("download");
  await button.click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^temporary-passwords-[0-9a-f]{8}\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8");
  const rows = csv.trim().split("\r\n").map((line) => [...line.matchAll(/"((?:[^"]|"")*)"/g)].map((m) => m[1]!.replace(/""/g, '"')));
  expect(rows[0]).toEqual(["name", "email", "password"]);
  expect(rows.slice(1).map((r) => r[1]).sort()).toEqual(emails);
  expect(rows.slice(1).every((r) => (r[2] ?? "").length >= 12)).toBe(true);
  await expect(page.getByRole("status").filter({ hasText: "Concord no longer has them" })).toBeVisible();
  await page.screenshot({ path: screenshotPath("run-temporary-passwords-downloaded"), fullPage: true });
  // Once: after a reload nothing is left to show or download.
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByRole("region", { name: "Temporary passwords" })).toHaveCount(0);
});

test("a vessel's page shows its company by name, linked, and each system's own id for it; the audit log names its targets", async ({ page }) => {
  await page.goto("/records?entity=vessel");
  await page.getByRole("region", { name: "Vessel records" }).getByRole("link").first().click();
  await expect(page).toHaveURL(/\/records\/[0-9a-f-]{36}$/);
  const company = page.locator('tr[data-field="company"]');
  const parent = company.getByRole("link");
  await expect(parent).toHaveAttribute("href", /^\/records\/[0-9a-f-]{36}$/);
  await expect(parent).not.toHaveText(/^[0-9a-f-]{36}$/);
  // The Maintenance Portal's column holds its own id for the company (a number), under its own field name.
  await expect(company).toContainText(/\dcompany_id/);
  await page.screenshot({ path: screenshotPath("record-vessel-references"), fullPage: true });

  await page.goto("/audit");
  await expect(page.getByRole("link", { name: /\((user|company|vessel|industry)\)$/ }).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("audit-named-targets"), fullPage: true });
  await page.goto("/deliveries");
  await expect(page.getByText(/^\d+ requests?(, \d+ failed)?$/).first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("deliveries-requests"), fullPage: true });
});
