import { expect, test } from "@playwright/test";
import { ADMIN_STATE, screenshotPath } from "./helpers";

test.use({ storageState: ADMIN_STATE });

const RUNS_LIST = `/api/trpc/runs.list?input=${encodeURIComponent(JSON.stringify({ json: { pageSize: 1 } }))}`;

test("the admin creates an API key, sees it once, the key works until the admin revokes it", async ({ page, playwright, baseURL }) => {
  const name = `E2E reporting ${Date.now()}`;
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 2, name: "API keys", exact: true })).toBeVisible();
  const form = page.getByRole("form", { name: "Create an API key" });

  // No scope: refused next to the scopes.
  await form.getByLabel("Key name").fill(name);
  await expect(form.getByLabel("read")).toBeChecked();
  await form.getByLabel("read").uncheck();
  await form.getByRole("button", { name: "Create API key" }).click();
  await expect(form.getByText("Must be at least one of read, write, run.")).toBeVisible();

  await form.getByLabel("read").check();
  await form.getByLabel("run").check();
  await expect(form.getByLabel("write")).not.toBeChecked();
  await form.getByRole("button", { name: "Create API key" }).click();

  // Shown once, in a marked box with a copy button.
  const box = page.getByRole("status").filter({ hasText: `New API key “${name}”: shown once` });
  await expect(box).toBeVisible();
  const shown = box.getByTestId("new-api-key");
  await expect(shown).toHaveText(/^ck_[A-Za-z0-9_-]{43}$/);
  await expect(box.getByRole("button", { name: "Copy key" })).toBeVisible();
  const key = (await shown.textContent())!;
  await expect(form.getByLabel("Key name")).toHaveValue("");

  // Listed by its first characters only, with its scopes, never used yet.
  const row = page.getByRole("region", { name: "API keys" }).getByRole("row").filter({ hasText: name });
  await expect(row).toContainText(`${key.slice(0, 10)}…`);
  await expect(row.getByRole("list", { name: `Scopes of ${name}` }).getByRole("listitem")).toHaveText(["read", "run"]);
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");
  await expect(row).toContainText("Never");
  await expect(row).toContainText("by admin@concord.test");
  await page.screenshot({ path: screenshotPath("settings-api-keys"), fullPage: true });

  // An internal tool calls with it (no session); the list then shows when it was last used.
  const tool = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${key}` } });
  const ok = await tool.get(RUNS_LIST);
  expect(ok.status()).toBe(200);

  // Gone after a reload: only the prefix is left.
  await page.reload();
  await expect(page.getByTestId("new-api-key")).toHaveCount(0);
  await expect(page.locator("body")).not.toContainText(key);
  await expect(row).toContainText(`${key.slice(0, 10)}…`);
  await expect(row).not.toContainText("Never");

  // Revoking asks first; keeping it changes nothing.
  await row.getByRole("button", { name: `Revoke API key ${name}` }).click();
  const question = row.getByRole("group").filter({ hasText: `Revoke “${name}”?` });
  await expect(question).toBeFocused();
  await question.getByRole("button", { name: "Keep it" }).click();
  await expect(row.getByRole("button", { name: `Revoke API key ${name}` })).toBeFocused();
  await expect(row.getByTestId("api-key-status")).toHaveText("Active");

  await row.getByRole("button", { name: `Revoke API key ${name}` }).click();
  await question.getByRole("button", { name: "Yes, revoke it" }).click();
  await expect(row.getByTestId("api-key-status")).toContainText("Revoked");
  await expect(row.getByRole("button", { name: `Revoke API key ${name}` })).toHaveCount(0);

  // From now on the key is refused.
  const refused = await tool.get(RUNS_LIST);
  expect(refused.status()).toBe(401);
  await tool.dispose();

  // The audit log has both, without the key.
  await page.goto("/audit?action=apiKeys.revoke");
  await expect(page.getByRole("region", { name: "Audit entries" }).locator("tbody tr").first()).toContainText("apiKeys.revoke");
  await expect(page.locator("body")).not.toContainText(key);
});
