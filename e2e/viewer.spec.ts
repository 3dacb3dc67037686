import { expect, test } from "@playwright/test";
import { PAGES, VIEWER, VIEWER_STATE } from "./helpers";

test.use({ storageState: VIEWER_STATE });

/** The only buttons a viewer may see: none of them changes shared data. */
const ALLOWED_BUTTONS = new Set(["Sign out", "Filter", "Search", "Change password"]);

test("the viewer opens every page and sees no mutating control", async ({ page }) => {
  for (const { label, path } of PAGES) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(page.getByText("Signed in as viewer").filter({ visible: true })).toBeVisible();

    const buttons = (await page.getByRole("button").allInnerTexts()).map((t) => t.trim());
    for (const name of buttons) expect(ALLOWED_BUTTONS, `unexpected button "${name}" on ${path}`).toContain(name);
    await expect(page.getByRole("button", { name: "Create user" })).toHaveCount(0);
    await expect(page.getByRole("button", { name: /^(Disable|Enable) / })).toHaveCount(0);
    await expect(page.getByRole("combobox", { name: /^Role for / })).toHaveCount(0);
  }

  // The drift report is readable, with no way to start a check or make records agree.
  await page.goto("/links/drift");
  await expect(page.getByRole("heading", { level: 1, name: "Drift report" })).toBeVisible();
  await expect(page.getByText("Only admins can start a check or make records agree.")).toBeVisible();
  await expect(page.getByRole("button", { name: /^(Check drift|Make )/ })).toHaveCount(0);

  // Schedules are shown, without the form to change them.
  await page.goto("/systems");
  await expect(page.getByRole("region", { name: "Schedules" }).getByRole("row", { name: /Industry in Dashboard/ })).toBeVisible();
  await page.goto("/systems/dashboard");
  const schedule = page.getByRole("region", { name: "Schedule of industry in Dashboard" });
  await expect(schedule).toBeVisible();
  await expect(schedule.getByTestId("schedule-status")).toBeVisible();
  await expect(page.getByRole("form", { name: /^Edit the schedule of / })).toHaveCount(0);
  await expect(page.getByLabel("Cron expression")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Save schedule" })).toHaveCount(0);

  // API keys are listed (when there are any), with no way to create or revoke one.
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 2, name: "API keys", exact: true })).toBeVisible();
  await expect(page.getByText("Only admins can create or revoke keys.")).toBeVisible();
  await expect(page.getByRole("form", { name: "Create an API key" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: /^(Create API key|Revoke)/ })).toHaveCount(0);

  // Settings still lists the users and offers the viewer's own password form.
  await expect(page.getByRole("region", { name: "Users" }).getByRole("row").filter({ hasText: VIEWER.email })).toContainText("viewer");
  await expect(page.getByLabel("Current password")).toBeVisible();
  await expect(page.getByRole("button", { name: "Change password" })).toBeVisible();
});

test("a viewer's direct tRPC mutations are refused with 403", async ({ page }) => {
  await page.goto("/settings");
  const email = `viewer-attempt-${Date.now()}@concord.test`;

  const create = await page.request.post("/api/trpc/users.create", { data: { json: { email, role: "admin" } } });
  expect(create.status()).toBe(403);
  const body = (await create.json()) as { error?: { json?: { message?: string } } };
  expect(body.error?.json?.message).toBe("Only admins can do this.");

  const setRole = await page.request.post("/api/trpc/users.setRole", {
    data: { json: { userId: "00000000-0000-4000-8000-000000000000", role: "admin" } },
  });
  expect(setRole.status()).toBe(403);

  const createKey = await page.request.post("/api/trpc/apiKeys.create", { data: { json: { name: "viewer key", scopes: ["read"] } } });
  expect(createKey.status()).toBe(403);
  const schedule = await page.request.post("/api/trpc/schedules.update", { data: { json: { entity: "industry", system: "dashboard", cron: "* * * * *", enabled: true } } });
  expect(schedule.status()).toBe(403);

  await page.reload();
  const rows = page.getByRole("region", { name: "Users" }).getByRole("row");
  await expect(rows.filter({ hasText: VIEWER.email })).toHaveCount(1);
  await expect(rows.filter({ hasText: email })).toHaveCount(0);
});

test("without a session the API answers 401", async ({ browser }) => {
  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const res = await ctx.request.post("/api/trpc/users.create", { data: { json: { email: "x@concord.test", role: "admin" } } });
  expect(res.status()).toBe(401);
  await ctx.close();
});
