import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL, screenshotPath } from "./helpers";

/**
 * Onboarding Portal → Maintenance Portal from the console: the admin syncs one vessel from the Runs page and
 * its equipment and users arrive in the sample Maintenance Portal, with the vessel's company before them.
 */
test.use({ storageState: ADMIN_STATE });

type Doc = Record<string, unknown>;
async function api(page: Page, system: "onboarding" | "maintenance", path: string): Promise<Doc> {
  const res = await page.request.get(`${SAMPLES_URL}/${system}/api/${path}`, { headers: { Authorization: SAMPLE_AUTH[system] } });
  expect(res.status(), `${system} ${path}`).toBe(200);
  return (await res.json()) as Doc;
}

/** An approved vessel of an approved company, with approved equipment and users, from the Onboarding Portal. */
async function pickVessel(page: Page) {
  const vessels = (await api(page, "onboarding", "sync/vessels?approvalStatus=approved&limit=100")).data as Doc[];
  for (const v of vessels) {
    const company = (await api(page, "onboarding", `sync/companies/${String(v.companyId)}`)).data as Doc;
    if (company.approvalStatus !== "approved") continue;
    const equipment = ((await api(page, "onboarding", `sync/equipment?vesselId=${String(v.id)}&approvalStatus=approved&limit=100`)).data as Doc[]).filter((e) => e.name && e.category);
    const users = ((await api(page, "onboarding", `sync/users?vesselId=${String(v.id)}&approvalStatus=approved&limit=100`)).data as Doc[]).filter((u) => String(u.email).includes("@"));
    if (/^\d{7}$/.test(String(v.imoNumber)) && equipment.length > 0 && users.length > 0 && v.name !== "Straits Jade") return { vessel: v, equipment, users };
  }
  throw new Error("no approved vessel with equipment and users in the sample fleet");
}

test("an admin syncs one vessel from the Runs page and its equipment and users arrive in the Maintenance Portal", async ({ page }) => {
  const { vessel, equipment, users } = await pickVessel(page);
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Sync the fleet" });
  await form.getByLabel("One vessel").check();
  await form.getByLabel("Vessel (IMO number or Onboarding Portal id)").fill(String(vessel.imoNumber));
  await form.getByRole("button", { name: "Start fleet sync" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);

  const maintenanceVessel = async () => ((await api(page, "maintenance", `vessels?imo=${String(vessel.imoNumber)}`)).results as Doc[])[0];
  await expect.poll(maintenanceVessel, { timeout: 30_000 }).toBeTruthy();
  const mv = (await maintenanceVessel())!;
  await expect
    .poll(async () => ((await api(page, "maintenance", `equipment?vessel_id=${String(mv.id)}&limit=100`)).results as Doc[]).map((e) => e.serial_no).sort(), { timeout: 30_000 })
    .toEqual(equipment.map((e) => e.serialNumber).sort());
  await expect
    .poll(async () => ((await api(page, "maintenance", `users?vessel_id=${String(mv.id)}&limit=100`)).results as Doc[]).map((u) => u.email).sort(), { timeout: 30_000 })
    .toEqual(users.map((u) => String(u.email).toLowerCase()).sort());
  const mUsers = (await api(page, "maintenance", `users?vessel_id=${String(mv.id)}&limit=100`)).results as Doc[];
  expect(mUsers.every((u) => u.must_change_password === true && !("password" in u) && !("password_hash" in u))).toBe(true);

  // The runs of the group: company, vessel, equipment, users — each succeeded; the users' run offers the temporary passwords once.
  await page.goto("/runs?system=onboarding");
  const table = page.getByRole("table");
  for (const entity of ["company", "vessel", "equipment", "user"]) await expect(table.getByRole("row").filter({ hasText: entity }).first()).toBeVisible();
  await table.getByRole("row").filter({ hasText: "user" }).first().getByRole("link").first().click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  const passwords = page.getByRole("region", { name: "Temporary passwords" });
  await expect(passwords).toBeVisible({ timeout: 15_000 });
  await passwords.getByRole("button", { name: /^Show the temporary password for/ }).first().click();
  await expect(page.getByTestId("temporary-password")).toHaveText(/\S{12,}/);
  await page.screenshot({ path: screenshotPath("fleet-run"), fullPage: true });
  await page.getByRole("button", { name: "Done, hide it" }).click();
  await expect(page.getByTestId("temporary-password")).toHaveCount(0);
});
