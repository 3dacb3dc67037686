import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLES_URL, VIEWER_STATE } from "./helpers";

/**
 * Linking what existed before, then drift. The CMS is paused in Concord while an industry is made in the
 * Dashboard and a same-business document with another name in the CMS, so the two stay unlinked (as in
 * the seed's "earlier industries"). The admin links the suggested pair; while the CMS is still paused
 * the drift report lists how the CMS document differs; "make them agree" queues Concord's values; once
 * the CMS runs again a new check shows no drift for it.
 */
test.use({ storageState: ADMIN_STATE });

type TSampleDoc = { id: string | number; slug: string; name: string; title?: string };
type TSystem = "dashboard" | "cms" | "lead-centre";

const tag = Date.now().toString(36);
const ours = { name: `Harbour Pilots ${tag}`, slug: `harbour-pilots-${tag}` };
const theirs = { name: `Harbour Pilots ${tag} Ltd`, slug: `harbour-pilots-${tag}-ltd` };

async function all(page: Page, system: TSystem): Promise<TSampleDoc[]> {
  const res = await page.request.get(`${SAMPLES_URL}/${system}/_all`);
  expect(res.ok()).toBe(true);
  return ((await res.json()) as { industries: TSampleDoc[] }).industries;
}

async function uiCreate(page: Page, system: TSystem, form: Record<string, string>) {
  const res = await page.request.post(`${SAMPLES_URL}/${system}/ui/industries/create`, { form, maxRedirects: 0 });
  expect(res.status()).toBe(303);
  expect(res.headers().location).toContain("ok=");
}

/** Pauses or resumes the CMS in Concord from its system page. */
async function setCmsEnabled(page: Page, enabled: boolean) {
  await page.goto("/systems/cms");
  const card = page.getByRole("article", { name: "CMS (Payload)" });
  // The page streams in after its loading state: wait for the card's toggle before reading which it is.
  await expect(card.getByRole("button", { name: /^(Enable|Disable) CMS \(Payload\)$/ })).toBeVisible();
  const button = card.getByRole("button", { name: `${enabled ? "Enable" : "Disable"} CMS (Payload)` });
  if ((await button.count()) === 0) return; // already so
  await button.click();
  await expect(card.getByRole("button", { name: `${enabled ? "Disable" : "Enable"} CMS (Payload)` })).toBeVisible();
}

/** Starts a drift check of industries from the report page and waits for it to finish. */
async function checkDrift(page: Page) {
  await page.goto("/links/drift");
  await expect(page.getByRole("heading", { level: 1, name: "Drift report" })).toBeVisible();
  await page.getByRole("button", { name: "Check drift" }).click();
  await expect(page).toHaveURL((url) => /^[0-9a-f-]{36}$/.test(url.searchParams.get("check") ?? ""));
  await expect(page.getByRole("region", { name: "Drift check", exact: true }).getByText(/^(done|failed)$/)).toBeVisible({ timeout: 60_000 });
  await expect(page.getByRole("region", { name: "Drift check", exact: true })).toContainText("done");
}

test("link a suggested pair, see the drift report list it, make them agree, see it clear", async ({ page }) => {
  test.setTimeout(150_000);
  const drifted = () => page.locator("tbody[data-drift-record]").filter({ hasText: ours.slug });
  await setCmsEnabled(page, false);
  try {
    await uiCreate(page, "dashboard", { name: ours.name, slug: ours.slug, description: "", is_active: "true" });
    // Concord has it (the Lead Centre received it); the write to the paused CMS waits.
    await expect.poll(async () => (await all(page, "lead-centre")).some((d) => d.slug === ours.slug), { timeout: 30_000 }).toBe(true);
    await uiCreate(page, "cms", { name: theirs.name, slug: theirs.slug, description: "", active: "true" });
    const cmsDoc = (await all(page, "cms")).find((d) => d.slug === theirs.slug)!;

    await page.goto("/links?system=cms");
    await expect(page.getByRole("heading", { level: 1, name: "Links" })).toBeVisible();
    const row = page.getByRole("region", { name: "Link suggestions" }).getByRole("row").filter({ hasText: theirs.name });
    await expect(row).toContainText(ours.slug);
    await expect(row).toContainText("shared words");
    await page.screenshot({ path: "test-results/links-suggestions.png", fullPage: true });
    await row.getByRole("button", { name: `Link ${theirs.name} to ${ours.name}` }).click();
    await expect(row).toHaveCount(0); // no longer a suggestion
    // Linked now: it is found among the CMS's linked records, where it can be unlinked or moved.
    const find = page.getByRole("search", { name: "Find a linked record" });
    await find.getByLabel("Name, key or id").fill(ours.slug);
    await find.getByRole("button", { name: "Filter" }).click();
    const linked = page.getByRole("region", { name: "Records linked in CMS (Payload)" }).getByRole("row").filter({ hasText: ours.name });
    await expect(linked).toContainText(String(cmsDoc.id));
    await expect(linked.getByRole("button", { name: `Unlink ${ours.name}` })).toBeVisible();
    await expect(linked.getByRole("button", { name: `Relink ${ours.name} to a CMS (Payload) id` })).toBeVisible();

    // The CMS document still has its own name: the drift report shows both values. Its slug differs too,
    // which the link holds as a conflict for the admin to choose (it is not pushed over the CMS's).
    await checkDrift(page);
    await expect(drifted()).toHaveCount(1);
    await expect(drifted()).toContainText(theirs.name);
    await expect(drifted()).toContainText("CMS (Payload)");
    await page.screenshot({ path: "test-results/drift-report.png", fullPage: true });
    await drifted().getByRole("button", { name: `Make ${ours.name} agree` }).click();
    await expect(page.getByRole("region", { name: "Make them agree" }).getByRole("status")).toContainText("Queued 1 write for 1 record");
    await expect(drifted()).toHaveCount(0); // no longer open
  } finally {
    await setCmsEnabled(page, true);
  }

  // The slug the link held: the admin keeps the Dashboard's on the Conflicts page, and it goes everywhere.
  await page.goto("/conflicts");
  const card = page.locator("article[data-conflict]").filter({ hasText: theirs.slug });
  await expect(card).toContainText("Base: none (linked by hand)");
  await expect(card).toContainText("In CMS (Payload)");
  await card.getByRole("button", { name: "Keep Dashboard's value for slug" }).click();
  await expect(page.getByTestId("announcer")).toContainText("Kept Dashboard's value for slug");
  await page.screenshot({ path: "test-results/conflicts-link-slug.png", fullPage: true });

  // The CMS runs again: Concord's values land in the document, and a new check finds nothing for it.
  await expect
    .poll(async () => (await all(page, "cms")).find((d) => d.slug === ours.slug || d.slug === theirs.slug), { timeout: 60_000 })
    .toMatchObject({ name: ours.name, slug: ours.slug });
  expect((await all(page, "cms")).filter((d) => d.slug === ours.slug || d.slug === theirs.slug)).toHaveLength(1);
  await checkDrift(page);
  await expect(drifted()).toHaveCount(0);
  await page.screenshot({ path: "test-results/drift-clear.png", fullPage: true });
});

test.describe("as a viewer", () => {
  test.use({ storageState: VIEWER_STATE });

  test("links, the drift report and the conflicts inbox are readable, with no control that changes anything", async ({ page }) => {
    for (const [path, heading] of [["/links?system=cms", "Links"], ["/links/drift", "Drift report"], ["/conflicts", "Conflicts"], ["/conflicts?status=resolved", "Conflicts"]] as const) {
      await page.goto(path);
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      const buttons = (await page.getByRole("button").allInnerTexts()).map((t) => t.trim());
      expect(buttons.filter((b) => !["Sign out", "Filter"].includes(b)), path).toEqual([]);
      await expect(page.getByRole("checkbox")).toHaveCount(0);
    }
    await page.goto("/links/drift");
    await expect(page.getByText("Only admins can start a check or make records agree.")).toBeVisible();
    await expect(page.getByRole("region", { name: "Drift check", exact: true })).toBeVisible(); // the admin's checks are shown
  });
});
