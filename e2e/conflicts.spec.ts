import { expect, test, type Page } from "@playwright/test";
import { ADMIN, ADMIN_STATE, SAMPLES_URL } from "./helpers";

/**
 * A real conflict between the sample Dashboard and CMS. The industry policy is last-write-wins, so
 * Concord settles it at once (the later edit wins everywhere); the admin then reverses that decision in
 * the inbox and both systems take the other value. The Dashboard's API refuses requests for a moment, so
 * Concord cannot carry the CMS's edit there before the Dashboard's own editor changes the same field.
 */
test.use({ storageState: ADMIN_STATE });

type TSampleDoc = { id: string | number; slug: string; name: string; title?: string };
type TSystem = "dashboard" | "cms" | "lead-centre";

const tag = Date.now().toString(36);
const slug = `e2e-conflict-${tag}`;
const names = { original: `Conflict original ${tag}`, cms: `Named in the CMS ${tag}`, dashboard: `Named in the Dashboard ${tag}` };

/** Every industry a sample system holds, read through its control endpoint (no auth, no faults). */
async function all(page: Page, system: TSystem): Promise<TSampleDoc[]> {
  const res = await page.request.get(`${SAMPLES_URL}/${system}/_all`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { industries: TSampleDoc[] }).industries;
}
const find = async (page: Page, system: TSystem) => (await all(page, system)).find((d) => d.slug === slug);
const nameIn = async (page: Page, system: TSystem) => {
  const doc = await find(page, system);
  return system === "lead-centre" ? doc?.title : doc?.name;
};

/** A write through the sample system's own web UI, as its editor would make it (webhooks go out as for the API). */
async function uiWrite(page: Page, system: TSystem, action: string, form: Record<string, string>) {
  const res = await page.request.post(`${SAMPLES_URL}/${system}/ui/industries/${action}`, { form, maxRedirects: 0 });
  expect(res.status()).toBe(303);
  expect(res.headers().location).toContain("ok=");
}

const setFaults = async (page: Page, system: TSystem, faults: Record<string, unknown>) => {
  expect((await page.request.put(`${SAMPLES_URL}/${system}/_faults`, { data: faults })).ok()).toBe(true);
};

test("a conflict between the Dashboard and the CMS: the policy decides, the admin reverses it in the inbox, both systems agree", async ({ page }) => {
  test.setTimeout(120_000);
  await uiWrite(page, "dashboard", "create", { name: names.original, slug, description: "Made by the conflicts test", is_active: "true" });
  await expect.poll(() => nameIn(page, "cms"), { timeout: 30_000, message: "the new industry reaches the CMS" }).toBe(names.original);

  await setFaults(page, "dashboard", { errorRate: 1 });
  try {
    const cmsDoc = (await find(page, "cms"))!;
    await uiWrite(page, "cms", `${cmsDoc.id}/update`, { name: names.cms });
    // Concord took the CMS's edit (the Lead Centre has it), but cannot write it to the Dashboard yet.
    await expect.poll(() => nameIn(page, "lead-centre"), { timeout: 30_000 }).toBe(names.cms);
    expect(await nameIn(page, "dashboard")).toBe(names.original);
    const dashboardDoc = (await find(page, "dashboard"))!;
    await uiWrite(page, "dashboard", `${dashboardDoc.id}/update`, { name: names.dashboard });
    // Both changed the name since they last agreed; the Dashboard's edit is the later one and wins.
    await expect.poll(() => nameIn(page, "cms"), { timeout: 30_000 }).toBe(names.dashboard);
  } finally {
    await setFaults(page, "dashboard", { errorRate: 0 });
  }
  expect(await nameIn(page, "dashboard")).toBe(names.dashboard);

  // The inbox shows it among the resolved ones, filtered to the CMS: base, theirs and ours with the systems named.
  await page.goto("/conflicts?status=resolved");
  await expect(page.getByRole("heading", { level: 1, name: "Conflicts" })).toBeVisible();
  const filters = page.getByRole("search", { name: "Filter conflicts" });
  await filters.getByLabel("System (either side)").selectOption("cms");
  await filters.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL((url) => url.searchParams.get("system") === "cms" && url.searchParams.get("status") === "resolved");
  const card = page.locator("article[data-conflict]").filter({ hasText: slug });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText("Base (last agreed)");
  await expect(card).toContainText(names.original);
  await expect(card).toContainText("In Dashboard");
  await expect(card).toContainText("In CMS (Payload) (Concord holds it)");
  await expect(card).toContainText(names.cms);
  await expect(card).toContainText("Resolved with Dashboard's value by last-write-wins");
  await expect(card.getByRole("link", { name: /^Open the record/ })).toHaveAttribute("href", /^\/records\/[0-9a-f-]{36}$/);
  await card.getByText("Change the outcome").click();
  await page.screenshot({ path: "test-results/conflicts-inbox.png", fullPage: true });

  await card.getByRole("button", { name: "Keep CMS (Payload)'s value for name" }).click();
  await expect(card).toContainText(`Resolved with CMS (Payload)'s value by ${ADMIN.email}`);
  await expect(card.getByText("Change the outcome")).toHaveCount(0);
  for (const system of ["dashboard", "cms", "lead-centre"] as const) {
    await expect.poll(() => nameIn(page, system), { timeout: 30_000, message: `${system} takes the admin's choice` }).toBe(names.cms);
  }
  await page.screenshot({ path: "test-results/conflicts-resolved.png", fullPage: true });

  // Nothing is left open for it, and the audit log has the decision.
  await page.goto("/conflicts");
  await expect(page.locator("article[data-conflict]").filter({ hasText: slug })).toHaveCount(0);
  await page.goto("/audit?action=conflicts.resolve");
  await expect(page.getByRole("main")).toContainText("conflicts.resolve");
});
