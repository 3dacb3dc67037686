import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ADMIN_STATE, SAMPLE_AUTH, SAMPLES_URL } from "./helpers";

/**
 * Two documents change in the Dashboard without telling Concord; a dry run shows each change as before →
 * after; "apply selected" on one applies that one only, and the CMS (the target) gets exactly that.
 */
test.use({ storageState: ADMIN_STATE });
test.describe.configure({ mode: "serial" });

const shot = (name: string) => path.join(process.cwd(), "test-results", "screenshots", `${name}.png`);
type TDashboardDoc = { id: number; slug: string; description: string; cms_id: string | null };
const api = (system: keyof typeof SAMPLE_AUTH) => ({ headers: { Authorization: SAMPLE_AUTH[system] } });
const dashboardDocs = async (page: Page) => ((await (await page.request.get(`${SAMPLES_URL}/dashboard/api/industries?per_page=500`, api("dashboard"))).json()) as { data: TDashboardDoc[] }).data;
const cmsDoc = async (page: Page, slug: string) =>
  ((await (await page.request.get(`${SAMPLES_URL}/cms/api/industries?limit=500`, api("cms"))).json()) as { docs: { slug: string; description: string | null }[] }).docs.find((d) => d.slug === slug);
const dashboardWebhooks = async (page: Page, on: boolean) => expect((await page.request.put(`${SAMPLES_URL}/dashboard/_config`, { data: { webhooks: on } })).ok()).toBe(true);

/** Starts a run from the Sync now form and waits until its bar says it is done. */
async function run(page: Page, kind: "full" | "dry-run") {
  await page.goto("/runs");
  const form = page.getByRole("form", { name: "Sync now" });
  await form.getByLabel("Entity").selectOption("industry");
  await form.getByLabel("System to read from").selectOption("dashboard");
  await form.getByLabel("Kind").selectOption(kind);
  await form.getByRole("button", { name: "Start run" }).click();
  await expect(page).toHaveURL(/\/runs\/[0-9a-f-]{36}$/);
  await expect(page.getByRole("progressbar", { name: "Reading" })).toHaveAttribute("aria-valuenow", "100", { timeout: 60_000 });
  await expect(page.getByTestId("run-status")).toHaveText("succeeded");
  // Who took the run up: here the request that started it, to its end.
  await page.reload();
  const continuations = page.getByRole("region", { name: "Continuations" });
  await expect(continuations).toContainText("Started by the request that started it");
  await expect(continuations.getByTestId("run-continued")).toHaveText(/^Not continued/);
}

test("a dry run's plan shows the two changes as before → after; apply selected applies only the one chosen", async ({ page }) => {
  // Everything in the Dashboard reaches the CMS first, and the CMS ids are written back to the Dashboard
  // (each write-back is a change there too), so the two changes below are the only ones to plan.
  const firstDay = new Date().toISOString().slice(0, 10); // before the runs start: the test may cross midnight UTC
  await run(page, "full");
  // Those resembling an unlinked CMS document are held for review as possible duplicates, not created there.
  const heldRes = await page.request.get(`/api/trpc/duplicates.list?input=${encodeURIComponent(JSON.stringify({ json: { status: "open" } }))}`);
  expect(heldRes.ok()).toBe(true);
  const held = new Set(((await heldRes.json()) as { result: { data: { json: { items: { recordKey: string }[] } } } }).result.data.json.items.map((i) => i.recordKey));
  await expect.poll(async () => (await dashboardDocs(page)).filter((d) => !d.cms_id && !held.has(d.slug)).map((d) => d.slug), { timeout: 60_000 }).toEqual([]);
  const docs = (await dashboardDocs(page)).filter((d) => !held.has(d.slug));
  expect((await Promise.all(docs.map((d) => cmsDoc(page, d.slug)))).filter((d) => !d)).toEqual([]);

  const [a, b] = docs.slice(-2);
  const stamp = Date.now().toString(36);
  const next = { a: `Planned for A ${stamp}`, b: `Planned for B ${stamp}` };
  await dashboardWebhooks(page, false);
  try {
    for (const [doc, description] of [[a!, next.a], [b!, next.b]] as const) {
      expect((await page.request.patch(`${SAMPLES_URL}/dashboard/api/industries/${doc.id}`, { ...api("dashboard"), data: { description } })).status()).toBe(200);
    }
  } finally {
    await dashboardWebhooks(page, true);
  }

  await run(page, "dry-run");
  const dryUrl = page.url();
  const plan = page.getByRole("region", { name: "Planned changes" });
  for (const [doc, after] of [[a!, next.a], [b!, next.b]] as const) {
    const field = plan.locator(`tr[data-plan="${doc.id}"] [data-field="description"]`);
    await expect(field.getByTestId("before")).toHaveText(doc.description || "(empty)");
    await expect(field.getByTestId("after")).toHaveText(after);
    await expect(plan.locator(`tr[data-plan="${doc.id}"]`)).toContainText("update");
  }
  await page.screenshot({ path: shot("run-dry-run-plan"), fullPage: true });

  // Apply selected: only A.
  await expect(page.getByRole("button", { name: "Apply selected (0)" })).toBeDisabled();
  await plan.locator(`tr[data-plan="${a!.id}"]`).getByRole("checkbox").check();
  await page.getByRole("button", { name: "Apply selected (1)" }).click();
  await expect(page.getByText("Apply the plan for 1 record from Dashboard?")).toBeVisible();
  await page.getByRole("button", { name: "Yes, apply 1" }).click();
  await expect(page).toHaveURL((u) => /^\/runs\/[0-9a-f-]{36}$/.test(u.pathname) && u.href !== dryUrl);
  await expect(page.getByRole("heading", { level: 1, name: "Selective of industry from Dashboard" })).toBeVisible();
  await expect(page.getByText("This run applies the plan of")).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Reading" })).toHaveAttribute("aria-valuenow", "100", { timeout: 30_000 });
  const items = page.getByRole("region", { name: "Per-item outcomes" }).locator("tbody tr");
  await expect(items).toHaveCount(1);
  await expect(items.first()).toContainText("applied");
  await expect(items.first()).toContainText(`id ${a!.id}`);
  await page.screenshot({ path: shot("run-detail"), fullPage: true });

  // The target holds A's new description; B is as it was.
  await expect.poll(async () => (await cmsDoc(page, a!.slug))?.description, { timeout: 30_000 }).toBe(next.a);
  expect((await cmsDoc(page, b!.slug))?.description ?? "").toBe(b!.description);

  // Back on the dry run, A is marked applied and B can still be applied.
  await page.goto(dryUrl);
  await expect(plan.locator(`tr[data-plan="${a!.id}"]`)).toContainText("applied");
  await expect(plan.locator(`tr[data-plan="${a!.id}"]`).getByRole("checkbox")).toHaveCount(0);
  await expect(plan.locator(`tr[data-plan="${b!.id}"]`).getByRole("checkbox")).not.toBeChecked();
  await expect(page.getByRole("list", { name: "Runs that applied this plan" }).getByRole("listitem")).toHaveCount(1);

  // The history filters find both runs by the days they ran on.
  const today = new Date().toISOString().slice(0, 10);
  await page.goto(`/runs?system=dashboard&from=${firstDay}&to=${today}`);
  await expect(page.getByRole("region", { name: "Sync runs" }).locator("tbody tr")).not.toHaveCount(0);
  await expect(page.getByRole("region", { name: "Sync runs" })).toContainText("selective of industry");
  await page.goto("/runs");
  await page.screenshot({ path: shot("runs"), fullPage: true });
});
