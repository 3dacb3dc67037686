import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL, screenshotPath } from "./helpers";

/**
 * A fleet sync of one new vessel makes its Maintenance Portal users; their temporary passwords download once
 * as a CSV (name, email, password) from the users' run page, and then Concord no longer has them. The vessel
 * and its users are made here, with the Onboarding Portal's webhooks off, so no earlier sync has sent them.
 */
test.use({ storageState: ADMIN_STATE });

type Doc = Record<string, unknown>;
async function api(page: Page, system: "onboarding" | "maintenance", path: string, body?: Doc): Promise<Doc> {
  const res = await page.request.fetch(`${SAMPLES_URL}/${system}/api/${path}`, {
    method: body ? "POST" : "GET",
    headers: { Authorization: SAMPLE_AUTH[system], ...(body ? { "content-type": "application/json" } : {}) },
    ...(body ? { data: body } : {}),
  });
  expect(res.ok(), `${system} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (await res.json()) as Doc;
}
const onboardingWebhooks = async (page: Page, on: boolean) =>
  expect((await page.request.patch(`${SAMPLES_URL}/onboarding/_config`, { data: { webhooks: on } })).ok()).toBe(true);

/** A valid IMO number: six digits and their check digit (the weighted sum 7…2, mod 10). */
function imoNumber(six: number): string {
  const digits = String(six).split("").map(Number);
  return `${six}${digits.reduce((sum, d, i) => sum + d * (7 - i), 0) % 10}`;
}

/** A copy of an approved vessel the Maintenance Portal already holds (so it is valid there), with two approved users of its own. */
async function newVesselWithUsers(page: Page, stamp: string) {
  const vessels = (await api(page, "onboarding", "sync/vessels?approvalStatus=approved&limit=100")).data as Doc[];
  let model: Doc | undefined;
  for (const v of vessels) {
    if (!/^\d{7}$/.test(String(v.imoNumber))) continue;
    if (((await api(page, "maintenance", `vessels?imo=${String(v.imoNumber)}`)).results as Doc[]).length) {
      model = v;
      break;
    }
  }
  expect(model, "an approved vessel the Maintenance Portal holds (fleet.spec synced the fleet)").toBeTruthy();
  const { id: _id, createdAt: _c, updatedAt: _u, approvedAt: _a, ...fields } = model!;
  const imo = imoNumber(100_000 + (Number.parseInt(stamp, 36) % 900_000));
  const vessel = (await api(page, "onboarding", "sync/vessels", { ...fields, name: `CSV Test ${stamp}`, imoNumber: imo, approvalStatus: "approved" })).data as Doc;
  const users = [];
  for (const n of [1, 2]) {
    const user = { companyId: model!.companyId, vesselId: vessel.id, email: `csv-${stamp}-${n}@fleet.test`, fullName: `Csv Crew ${n}`, role: "VIEWER", approvalStatus: "approved" };
    users.push((await api(page, "onboarding", "sync/users", user)).data as Doc);
  }
  return { vessel, users };
}

test("the temporary passwords of a run download once as a CSV, then they are gone", async ({ page }) => {
  test.setTimeout(120_000);
  const stamp = Date.now().toString(36);
  await onboardingWebhooks(page, false);
  let made: Awaited<ReturnType<typeof newVesselWithUsers>>;
  try {
    made = await newVesselWithUsers(page, stamp);
  } finally {
    await onboardingWebhooks(page, true);
  }
  const { vessel, users } = made;

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

  // The group page links each entity's run; the users' run holds the passwords.
  await page.getByRole("link", { name: "user", exact: true }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const passwords = page.getByRole("region", { name: "Temporary passwords" });
  await expect(passwords).toBeVisible({ timeout: 15_000 });
  const button = passwords.getByRole("button", { name: "Download all 2 as CSV (once)" });
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
