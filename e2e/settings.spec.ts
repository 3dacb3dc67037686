import { expect, test, type Page } from "@playwright/test";
import { ADMIN, ADMIN_STATE, pathIs } from "./helpers";

test.use({ storageState: ADMIN_STATE });

const userRow = (page: Page, email: string) => page.getByRole("region", { name: "Users" }).getByRole("row").filter({ hasText: email });

test("the admin creates a user with a temporary password, changes its role, disables it, and the audit log shows it all", async ({
  page,
  browser,
}) => {
  const email = `e2e-${Date.now()}@concord.test`;
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();

  // A too-short password is refused next to its field.
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel(/^Password/).fill("short");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByText("Must be at least 8 characters.")).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "Some fields need attention" })).toBeVisible();
  await expect(page.getByLabel(/^Password/)).toHaveAttribute("aria-invalid", "true");

  // Created with a generated password, shown once.
  await page.getByLabel(/^Password/).fill("");
  await page.getByLabel(/^Name/).fill("E2E Person");
  await page.getByLabel("Role", { exact: true }).selectOption("viewer");
  await page.getByRole("button", { name: "Create user" }).click();
  const box = page.getByRole("status").filter({ hasText: `Temporary password for ${email}` });
  await expect(box).toBeVisible();
  const temporaryPassword = (await box.getByTestId("temporary-password").textContent())?.trim() ?? "";
  expect(temporaryPassword.length).toBeGreaterThanOrEqual(12);
  await expect(box.getByRole("button", { name: "Copy password" })).toBeVisible();
  await expect(userRow(page, email)).toContainText("E2E Person");
  await expect(userRow(page, email)).toContainText("Active");
  await page.reload();
  await expect(page.getByTestId("temporary-password")).toHaveCount(0);

  // The temporary password really works.
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const otherPage = await other.newPage();
  await otherPage.goto("/signin");
  await otherPage.getByLabel("Email").fill(email);
  await otherPage.getByLabel("Password").fill(temporaryPassword);
  await otherPage.getByRole("button", { name: "Sign in" }).click();
  await expect(otherPage.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await other.close();

  // The same email cannot be used twice: the server's message is shown.
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("alert").filter({ hasText: `A user with the email ${email} already exists.` })).toBeVisible();

  // Change its role.
  const role = page.getByLabel(`Role for ${email}`);
  await expect(role).toHaveValue("viewer");
  await role.selectOption("admin");
  await page.getByRole("button", { name: `Save role for ${email}` }).click();
  await expect(page.getByRole("button", { name: `Save role for ${email}` })).toHaveCount(0);
  await page.reload();
  await expect(page.getByLabel(`Role for ${email}`)).toHaveValue("admin");

  // Disable it.
  await page.getByRole("button", { name: `Disable ${email}` }).click();
  await expect(userRow(page, email)).toContainText("Disabled");
  await expect(page.getByRole("button", { name: `Enable ${email}` })).toBeVisible();

  // The audit log lists those actions, newest first.
  await page.goto("/audit");
  await expect(page.getByRole("heading", { level: 1, name: "Audit log" })).toBeVisible();
  const entries = page.getByRole("region", { name: "Audit entries" }).getByRole("row").filter({ hasText: `user:${email}` });
  await expect(entries).toHaveCount(3);
  // Time, actor, action, target, change: the action is the third cell.
  const actionOf = (n: number) => entries.nth(n).locator("td").nth(2);
  await expect(actionOf(0)).toHaveText(/^users\.(setDisabled|disable)$/);
  await expect(actionOf(1)).toHaveText("users.setRole");
  await expect(actionOf(2)).toHaveText("users.create");
  await expect(entries.nth(0).locator("td").nth(1)).toHaveText(ADMIN.email);

  // The change is there behind a disclosure.
  await entries.nth(1).getByText("Before → after").click();
  await expect(entries.nth(1).locator("pre").first()).toContainText('"role":"viewer"');
  await expect(entries.nth(1).locator("pre").nth(1)).toContainText('"role":"admin"');

  await entries.nth(0).getByText("Before → after").click();
  await expect(entries.nth(0).locator("pre").nth(1)).toContainText('"disabled":true');

  // Filter by action.
  await page.getByLabel("Action").selectOption("users.setRole");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/audit" && url.searchParams.get("action") === "users.setRole");
  const rows = page.getByRole("region", { name: "Audit entries" }).locator("tbody tr");
  await expect(rows.first()).toContainText(`user:${email}`);
  const actions = await rows.locator("td:nth-child(3)").allTextContents();
  expect(actions.length).toBeGreaterThan(0);
  expect(new Set(actions.map((a) => a.trim()))).toEqual(new Set(["users.setRole"]));
  await expect(page.getByText("Page 1 of")).toBeVisible();

  // An actor that matches nothing gives the empty state.
  await page.getByLabel("Actor").fill("nobody-at-all@nowhere.test");
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByRole("heading", { name: "No entries match" })).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(pathIs("/audit"));
});

test("a new user changes their own password and signs in again with it", async ({ page, browser }) => {
  const email = `e2e-pw-${Date.now()}@concord.test`;
  await page.goto("/settings");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel(/^Password/).fill("first-password-123");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Created ${email}` })).toBeVisible();

  const ctx = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const p = await ctx.newPage();
  const signInAs = async (password: string) => {
    await p.goto("/signin");
    await p.getByLabel("Email").fill(email);
    await p.getByLabel("Password").fill(password);
    await p.getByRole("button", { name: "Sign in" }).click();
  };
  await signInAs("first-password-123");
  await expect(p.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await p.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  // A viewer may change their own password but sees no user management.
  await expect(p.getByRole("button", { name: "Create user" })).toHaveCount(0);

  await p.getByLabel("Current password").fill("wrong-current-password");
  await p.getByLabel("New password (at least 8 characters)").fill("second-password-456");
  await p.getByLabel("New password, again").fill("second-password-456");
  await p.getByRole("button", { name: "Change password" }).click();
  await expect(p.getByText("The current password is wrong.").first()).toBeVisible();

  await p.getByLabel("Current password").fill("first-password-123");
  await p.getByRole("button", { name: "Change password" }).click();
  await expect(p.getByRole("status").filter({ hasText: "Password changed." })).toContainText("Password changed. Sign in again with the new password.");
  await p.getByRole("button", { name: "Sign in again" }).click();
  await expect(p).toHaveURL(pathIs("/signin"));
  await expect(p.getByRole("status").filter({ hasText: "Password changed." })).toContainText("Password changed.");

  await signInAs("first-password-123");
  await expect(p.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
  await signInAs("second-password-456");
  await expect(p.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
  await ctx.close();
});
