import { expect, test } from "@playwright/test";
import { ADMIN, PAGES, pathIs, screenshotPath, signIn } from "./helpers";

test.describe("signing in and out", () => {
  test("a wrong password shows an error, stays on /signin and gives no session", async ({ page, context }) => {
    await page.goto("/signin");
    await page.getByLabel("Email").fill(ADMIN.email);
    await page.getByLabel("Password").fill("not-the-right-password");
    await page.getByRole("button", { name: "Sign in" }).click();

    // (Next's own route announcer is also role="alert": match ours by its text.)
    await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    await expect(page).toHaveURL(pathIs("/signin"));
    await expect(page.getByLabel("Email")).toHaveValue(ADMIN.email);
    const cookies = await context.cookies();
    expect(cookies.filter((c) => c.name.includes("session-token"))).toEqual([]);

    await page.goto("/");
    await expect(page).toHaveURL(pathIs("/signin"));
  });

  test("repeated wrong passwords lock the email out with a clear message", async ({ page }) => {
    const email = `lockout-${Date.now()}@concord.test`;
    await page.goto("/signin");
    for (let i = 0; i < 5; i++) {
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password").fill(`wrong-${i}`);
      await page.getByRole("button", { name: "Sign in" }).click();
      // The form clears the password once the server has answered.
      await expect(page.getByLabel("Password")).toHaveValue("");
      await expect(page.getByRole("alert").filter({ hasText: "Wrong email or password." })).toBeVisible();
    }
    await page.getByLabel("Password").fill("wrong-again");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByLabel("Password")).toHaveValue("");
    await expect(page.getByRole("alert").filter({ hasText: /^Too many failed sign-ins for this email\. Try again in \d+ minutes?\.$/ })).toBeVisible();
    await expect(page).toHaveURL(pathIs("/signin"));
  });

  test("an unauthenticated visit to /audit lands on /signin", async ({ page }) => {
    await page.goto("/audit");
    await expect(page).toHaveURL(pathIs("/signin"));
    await expect(page.getByRole("heading", { level: 1, name: "Sign in" })).toBeVisible();
  });

  test("sign in with the keyboard alone", async ({ page }) => {
    await page.goto("/signin");
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Email")).toBeFocused();
    await page.keyboard.type(ADMIN.email);
    await page.keyboard.press("Tab");
    await expect(page.getByLabel("Password")).toBeFocused();
    await page.keyboard.type(ADMIN.password);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("button", { name: "Sign in" })).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(pathIs("/"));
    await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();

    // The skip link is the first stop and moves focus to the content.
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Skip to content" });
    await expect(skip).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL((url) => url.hash === "#main");
  });
});

test("the admin visits every page from the menu, then signs out", async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await signIn(page, ADMIN);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link")).toHaveText(PAGES.map((p) => p.label));
  await expect(page.getByText(ADMIN.email).filter({ visible: true })).toBeVisible();

  for (const { label, path, slug } of PAGES) {
    const link = nav.getByRole("link", { name: label, exact: true });
    await link.click();
    await expect(page).toHaveURL(pathIs(path));
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    await expect(link).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await page.screenshot({ path: screenshotPath(slug), fullPage: true });
  }

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(pathIs("/signin"));
  await page.goto("/settings");
  await expect(page).toHaveURL(pathIs("/signin"));
});

test("on a 375px phone the menu is a keyboard-usable disclosure", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 800 });
  await signIn(page, ADMIN);
  await page.screenshot({ path: screenshotPath("overview-375"), fullPage: true });

  // No horizontal scrolling on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const menu = page.getByRole("button", { name: "Menu" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.getByRole("link", { name: "Runs" })).toBeHidden();

  await menu.focus();
  await page.keyboard.press("Enter");
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(page.getByRole("link", { name: "Runs" })).toBeVisible();
  await page.screenshot({ path: screenshotPath("overview-375-menu"), fullPage: true });

  await page.keyboard.press("Escape");
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(menu).toBeFocused();

  await page.keyboard.press("Enter");
  await page.getByRole("link", { name: "Runs" }).click();
  await expect(page).toHaveURL(pathIs("/runs"));
  await expect(page.getByRole("heading", { level: 1, name: "Runs" })).toBeVisible();
  await expect(menu).toHaveAttribute("aria-expanded", "false");

  // The busier pages stay readable on a phone.
  for (const { label, slug } of [
    { label: "Audit log", slug: "audit-375" },
    { label: "Settings", slug: "settings-375" },
  ]) {
    await menu.click();
    await page.getByRole("link", { name: label }).click();
    await expect(page.getByRole("heading", { level: 1, name: label })).toBeVisible();
    const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(sideways).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath(slug), fullPage: true });
  }
});
