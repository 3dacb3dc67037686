import { expect, test as setup } from "@playwright/test";
import { ADMIN, ADMIN_STATE, signIn, VIEWER, VIEWER_STATE } from "./helpers";

setup("sign in as the admin", async ({ page }) => {
  await signIn(page, ADMIN);
  await expect(page.getByText("Signed in as admin").filter({ visible: true })).toBeVisible();
  await page.context().storageState({ path: ADMIN_STATE });
});

setup("sign in as the viewer", async ({ page }) => {
  await signIn(page, VIEWER);
  await expect(page.getByText("Signed in as viewer").filter({ visible: true })).toBeVisible();
  await page.context().storageState({ path: VIEWER_STATE });
});
