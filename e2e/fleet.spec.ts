import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL, screenshotPath } from "./helpers";

/**
 * Onboarding Portal → Maintenance Portal from the console: an approval on a fresh install arrives with no run
 * (Concord reads the vessel's company itself); the admin syncs one vessel, then the whole fleet, from the
 * Runs page, and each fleet sync's page says done only once the Maintenance Portal holds every approved,
 * valid record, listing the blocked ones by name with their reason.
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

/** Everything a sample system holds, by collection (its control endpoint). */
async function everything(page: Page, system: "onboarding" | "maintenance"): Promise<Record<string, Doc[]>> {
  const res = await page.request.get(`${SAMPLES_URL}/${system}/_all`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Record<string, Doc[]>;
}

const validImo = (v: unknown) => {
  const d = String(v);
  if (!/^\d{7}$/.test(d)) return false;
  const sum = [...d.slice(0, 6)].reduce((acc, c, i) => acc + Number(c) * (7 - i), 0);
  return sum % 10 === Number(d[6]);
};

/** What the Maintenance Portal must hold: approved, valid records whose parents are approved and valid. */
function expected(o: Record<string, Doc[]>) {
  const ok = (d: Doc) => d.approvalStatus === "approved";
  const companies = o.companies!.filter(ok);
  const companyIds = new Set(companies.map((c) => c.id));
  const vessels = o.vessels!.filter((v) => ok(v) && companyIds.has(v.companyId) && validImo(v.imoNumber));
  const vesselIds = new Set(vessels.map((v) => v.id));
  const equipment = o.equipment!.filter((e) => ok(e) && e.name && e.category && vesselIds.has(e.vesselId));
  const users = o.users!.filter((u) => ok(u) && String(u.email).includes("@") && companyIds.has(u.companyId) && (u.vesselId === null || vesselIds.has(u.vesselId)));
  return { companies, vessels, equipment, users };
}

test("approving a vessel in the Onboarding Portal of a fresh install brings it, and its company, to the Maintenance Portal with no run", async ({ page }) => {
  const onboarding = await everything(page, "onboarding");
  const approvedCompanies = new Set(onboarding.companies!.filter((c) => c.approvalStatus === "approved").map((c) => c.id));
  const draft = onboarding.vessels!.find((v) => v.approvalStatus === "draft" && approvedCompanies.has(v.companyId) && validImo(v.imoNumber))!;
  const company = onboarding.companies!.find((c) => c.id === draft.companyId)!;
  expect((await everything(page, "maintenance")).companies!.some((c) => c.registration_no === company.registrationNumber), "the company has never been synced").toBe(false);

  // The Onboarding Portal's own page: the admin there approves the vessel.
  await page.goto(`${SAMPLES_URL}/onboarding/?c=vessels`);
  await page.getByRole("button", { name: `Approve ${String(draft.name)}` }).click();
  await expect
    .poll(async () => (await everything(page, "maintenance")).vessels!.find((v) => v.imo === draft.imoNumber), { timeout: 20_000, message: "the vessel reached the Maintenance Portal" })
    .toBeTruthy();
  const m = await everything(page, "maintenance");
  const mCompany = m.companies!.find((c) => c.registration_no === company.registrationNumber);
  expect(mCompany, "Concord read the company from the Onboarding Portal and delivered it first").toBeTruthy();
  expect(m.vessels!.find((v) => v.imo === draft.imoNumber)!.company_id).toBe(mCompany!.id);

  // No run was needed: the Runs page has none from the Onboarding Portal.
  await page.goto("/runs?system=onboarding");
  await expect(page.getByText("No runs match")).toBeVisible();
  await expect(page.getByRole("table")).toHaveCount(0);
});

test("an admin syncs one vessel from the Runs page and its equipment and users arrive in the Maintenance Portal", async ({ page }) => {
  const { vessel, equipment, users } = await pickVessel(page);
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Sync the fleet" });
  await form.getByLabel("One vessel").check();
  await form.getByLabel("Vessel (IMO number or Onboarding Portal id)").fill(String(vessel.imoNumber));
  await form.getByRole("button", { name: "Start fleet sync" }).click();
  // Start fleet sync opens the group's one page, which says done once everything has arrived.
  await expect(page).toHaveURL(/\/runs\/groups\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("heading", { level: 1, name: "Fleet sync" })).toBeVisible();
  await expect(page.getByTestId("group-state")).toHaveAttribute("data-state", "done", { timeout: 60_000 });

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

test("a whole fleet sync's page is done only when the Maintenance Portal holds every approved, valid record, and names the blocked ones", async ({ page }) => {
  test.setTimeout(240_000);
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Sync the fleet" });
  await form.getByLabel("The whole fleet").check();
  await form.getByRole("button", { name: "Start fleet sync" }).click();
  await expect(page).toHaveURL(/\/runs\/groups\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId("group-run-equipment")).toBeVisible();
  await expect(page.getByTestId("group-state")).toHaveAttribute("data-state", "done", { timeout: 180_000 });

  // Checked at once, no polling: had the page said done early, something would be missing here.
  const want = expected(await everything(page, "onboarding"));
  const m = await everything(page, "maintenance");
  const missing = (what: string, docs: Doc[], theirs: Doc[], key: (d: Doc) => unknown, mKey: string) =>
    docs.filter((d) => !theirs.some((x) => x[mKey] === key(d))).map((d) => `${what} ${String(key(d))}`);
  expect([
    ...missing("company", want.companies, m.companies!, (d) => d.registrationNumber, "registration_no"),
    ...missing("vessel", want.vessels, m.vessels!, (d) => d.imoNumber, "imo"),
    ...missing("equipment", want.equipment, m.equipment!, (d) => d.serialNumber, "serial_no"),
    ...missing("user", want.users, m.users!, (d) => String(d.email).toLowerCase(), "email"),
  ]).toEqual([]);

  // The blocked ones, by their parent's name and the reason, with a link to where the parent was read.
  const o = await everything(page, "onboarding");
  const approvedCompanies = new Set(o.companies!.filter((c) => c.approvalStatus === "approved").map((c) => c.id));
  const invalid = o.vessels!.find((v) => v.approvalStatus === "approved" && approvedCompanies.has(v.companyId) && !validImo(v.imoNumber))!;
  const rejected = o.vessels!.find((v) => v.approvalStatus === "rejected" && approvedCompanies.has(v.companyId))!;
  await expect(page.getByTestId("group-summary")).toHaveText(/^read \d[\d,]* · delivered \d[\d,]* · blocked [1-9]\d* · failed [1-9]\d*$/);
  const blocked = page.locator("section").filter({ has: page.getByRole("heading", { name: /^Blocked \(\d+\)$/ }) });
  const byInvalid = blocked.getByTestId("blocked-parent").filter({ hasText: String(invalid.name) });
  await expect(byInvalid).toContainText("failed validation");
  await expect(byInvalid).toContainText("imoNumber");
  const byRejected = blocked.getByTestId("blocked-parent").filter({ hasText: String(rejected.name) });
  await expect(byRejected).toContainText('approvalStatus is "rejected"');
  await expect(byRejected.getByTestId("blocked-child").first()).toBeVisible();
  await expect(page.getByText(/onboarding:[0-9a-f]{8}-/)).toHaveCount(0);
  await page.screenshot({ path: screenshotPath("fleet-group"), fullPage: true });

  // The parent's link opens the vessel run's item for it, which says why it is not in.
  await byInvalid.getByRole("link", { name: new RegExp(String(invalid.name)) }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}\?item=/);
  await expect(page.getByTestId("item-filter")).toBeVisible();
  await expect(page.getByRole("table")).toContainText("check digit");
  await expect(page.getByRole("progressbar", { name: "Delivering" })).toBeVisible();
  await page.screenshot({ path: screenshotPath("fleet-run-delivering"), fullPage: true });

  // A blocked delivery says so, naming the parent, on the Deliveries page too.
  await page.goto("/deliveries?system=maintenance&status=pending");
  await expect(page.getByTestId("blocked-note").first()).toContainText("blocked by its vessel");
  await expect(page.getByText("Loading…")).toHaveCount(0);
  await expect(page.getByTestId("blocked-note").first()).toBeVisible();
  await page.screenshot({ path: screenshotPath("deliveries-blocked") });
});
