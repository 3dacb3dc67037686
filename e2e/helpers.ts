import { expect, type Page } from "@playwright/test";
import { fileURLToPath } from "node:url";

export interface Credentials {
  email: string;
  password: string;
}

export const ADMIN: Credentials = {
  email: process.env.E2E_ADMIN_EMAIL ?? "admin@concord.test",
  password: process.env.E2E_ADMIN_PASSWORD ?? "admin-password-123",
};

export const VIEWER: Credentials = {
  email: process.env.E2E_VIEWER_EMAIL ?? "viewer@concord.test",
  password: process.env.E2E_VIEWER_PASSWORD ?? "viewer-password-123",
};

const here = (rel: string) => fileURLToPath(new URL(rel, import.meta.url));

export const ADMIN_STATE = here("./.auth/admin.json");
export const VIEWER_STATE = here("./.auth/viewer.json");
export const screenshotPath = (name: string) => here(`./screenshots/${name}.png`);

/** The console's sections, in menu order, with the heading each page shows. */
export const PAGES = [
  { label: "Overview", path: "/", slug: "overview" },
  { label: "Systems", path: "/systems", slug: "systems" },
  { label: "Records", path: "/records", slug: "records" },
  { label: "Runs", path: "/runs", slug: "runs" },
  { label: "Deliveries", path: "/deliveries", slug: "deliveries" },
  { label: "Conflicts", path: "/conflicts", slug: "conflicts" },
  { label: "Links", path: "/links", slug: "links" },
  { label: "Audit log", path: "/audit", slug: "audit" },
  { label: "Settings", path: "/settings", slug: "settings" },
] as const;

/** Signs in through the form and waits for the Overview. */
export async function signIn(page: Page, who: Credentials): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/");
  await expect(page.getByRole("heading", { level: 1, name: "Overview" })).toBeVisible();
}

export const pathIs = (path: string) => (url: URL) => url.pathname === path;

/** The sample systems the e2e runner starts beside Concord (scripts/e2e.mjs), and how to call their APIs. */
export const SAMPLES_URL = process.env.E2E_SAMPLES_URL ?? "http://127.0.0.1:4000";
export const SAMPLE_AUTH = {
  dashboard: "Bearer sample-key",
  cms: "users API-Key sample-key",
  "lead-centre": "Bearer sample-key",
  onboarding: "Bearer sample-key",
  maintenance: "Bearer sample-key",
} as const;
