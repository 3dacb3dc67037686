// Build check for the Payload plugin: makes a minimal Payload 3 + Next 16 site in a temp folder, adds the
// plugin both ways integrations/payload/README.md documents — the folder copied into the site's src/
// (imported as ./plugins/concord/src/index) and the folder installed as a package (npm pack, then
// transpilePackages) — and runs `next build` with Turbopack (Next 16's default) and then with webpack.
// Any import the site cannot resolve fails the build, so it fails this check.
//
//   node scripts/payload-site-check.mjs [--plugin <folder>] [--bundlers turbopack,webpack] [--keep]
//
// --plugin builds another copy of the plugin (e.g. an older commit's, to see the check fail). The site's
// packages install from the registry with `npm install` (the npm cache makes repeats quick).
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const pluginDir = path.resolve(option("plugin", path.join(root, "integrations/payload")));
const bundlers = option("bundlers", "turbopack,webpack").split(",").filter(Boolean);
const keep = args.includes("--keep");

// The versions integrations/payload/README.md names as tested; next and react as Concord itself uses.
const PAYLOAD = "3.90.2";
const concord = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
const dep = (name) => concord.dependencies?.[name] ?? concord.devDependencies?.[name];

const site = mkdtempSync(path.join(tmpdir(), "concord-payload-site-"));
const started = Date.now();
const log = (msg) => console.log(`[payload-site-check ${((Date.now() - started) / 1000).toFixed(0)}s] ${msg}`);

function run(cmd, cmdArgs, opts = {}) {
  log(`$ ${cmd} ${cmdArgs.join(" ")}`);
  const r = spawnSync(cmd, cmdArgs, { cwd: site, stdio: "inherit", env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", ...opts.env } });
  if (r.status !== 0) throw new Error(`${cmd} ${cmdArgs.join(" ")} exited with ${r.status ?? r.signal}`);
}

function write(file, text) {
  const full = path.join(site, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text.replace(/^\n/, ""));
}

function makeSite() {
  write(
    "package.json",
    JSON.stringify(
      {
        name: "concord-payload-site-check",
        private: true,
        type: "module",
        dependencies: {
          "@payloadcms/db-sqlite": PAYLOAD,
          "@payloadcms/next": PAYLOAD,
          "@payloadcms/ui": PAYLOAD,
          payload: PAYLOAD,
          graphql: "16.11.0",
          next: dep("next"),
          react: dep("react"),
          "react-dom": dep("react-dom"),
        },
        devDependencies: {
          "@types/node": dep("@types/node"),
          "@types/react": dep("@types/react"),
          "@types/react-dom": dep("@types/react-dom"),
          typescript: dep("typescript"),
        },
      },
      null,
      2,
    ),
  );
  // As Payload's blank template has it (extensionAlias only applies to webpack builds).
  write(
    "next.config.mjs",
    `
import { withPayload } from "@payloadcms/next/withPayload";
import path from "node:path";
import { fileURLToPath } from "node:url";

const dirname = path.dirname(fileURLToPath(import.meta.url));

export default withPayload(
  {
    // The plugin installed as a package ships TypeScript source.
    transpilePackages: ["@concord/payload-plugin"],
    webpack: (config) => {
      config.resolve.extensionAlias = { ".cjs": [".cts", ".cjs"], ".js": [".ts", ".tsx", ".js", ".jsx"], ".mjs": [".mts", ".mjs"] };
      return config;
    },
    turbopack: { root: path.resolve(dirname) },
  },
  { devBundleServerPackages: false },
);
`,
  );
  write(
    "tsconfig.json",
    JSON.stringify(
      {
        compilerOptions: {
          baseUrl: ".",
          lib: ["DOM", "DOM.Iterable", "ES2022"],
          allowJs: true,
          skipLibCheck: true,
          strict: true,
          noEmit: true,
          esModuleInterop: true,
          module: "esnext",
          moduleResolution: "bundler",
          resolveJsonModule: true,
          isolatedModules: true,
          jsx: "react-jsx",
          incremental: true,
          plugins: [{ name: "next" }],
          paths: { "@/*": ["./src/*"], "@payload-config": ["./src/payload.config.ts"] },
          target: "ES2022",
        },
        include: ["next-env.d.ts", "**/*.ts", "**/*.tsx", ".next/types/**/*.ts", ".next/dev/types/**/*.ts"],
        exclude: ["node_modules"],
      },
      null,
      2,
    ),
  );
  write(
    "src/collections/Users.ts",
    `
import type { CollectionConfig } from "payload";

export const Users: CollectionConfig = { slug: "users", auth: { useAPIKey: true }, admin: { useAsTitle: "email" }, fields: [] };
`,
  );
  write(
    "src/collections/Industries.ts",
    `
import type { CollectionConfig } from "payload";

export const Industries: CollectionConfig = {
  slug: "industries",
  admin: { useAsTitle: "name" },
  fields: [
    { name: "name", type: "text", required: true },
    { name: "slug", type: "text", required: true, unique: true },
    { name: "description", type: "textarea" },
    { name: "active", type: "checkbox", defaultValue: true },
  ],
};

export const Pages: CollectionConfig = { slug: "pages", fields: [{ name: "title", type: "text", required: true }] };
`,
  );
  // The README's wiring: the copied folder for industries, the installed package for pages.
  write(
    "src/payload.config.ts",
    `
import { sqliteAdapter } from "@payloadcms/db-sqlite";
import { concordPlugin as concordPackage } from "@concord/payload-plugin";
import path from "node:path";
import { buildConfig } from "payload";
import { fileURLToPath } from "node:url";

import { Industries, Pages } from "./collections/Industries";
import { Users } from "./collections/Users";
import { concordPlugin } from "./plugins/concord/src/index";

const dirname = path.dirname(fileURLToPath(import.meta.url));
const concord = { concordUrl: process.env.CONCORD_URL ?? "", secret: process.env.CONCORD_WEBHOOK_SECRET ?? "", enabled: Boolean(process.env.CONCORD_URL) };

export default buildConfig({
  admin: { user: Users.slug, importMap: { baseDir: path.resolve(dirname) } },
  collections: [Users, Industries, Pages],
  secret: process.env.PAYLOAD_SECRET || "site-check-secret",
  typescript: { autoGenerate: false, outputFile: path.resolve(dirname, "payload-types.ts") },
  db: sqliteAdapter({ client: { url: process.env.DATABASE_URI || "file:./payload.db" }, autoIncrement: true }),
  plugins: [
    concordPlugin({ ...concord, system: "cms", collections: { industries: "industry" } }),
    concordPackage({ ...concord, system: "cms-pages", collections: { pages: "page" } }),
  ],
});
`,
  );
  const generated = "/* THIS FILE WAS GENERATED AUTOMATICALLY BY PAYLOAD. */\n";
  const pageArgs = "type Args = { params: Promise<{ segments: string[] }>; searchParams: Promise<{ [key: string]: string | string[] }> };\n";
  write(
    "src/app/(payload)/admin/[[...segments]]/page.tsx",
    `${generated}import type { Metadata } from "next";
import config from "@payload-config";
import { RootPage, generatePageMetadata } from "@payloadcms/next/views";
import { importMap } from "../importMap";

${pageArgs}
export const generateMetadata = ({ params, searchParams }: Args): Promise<Metadata> => generatePageMetadata({ config, params, searchParams });
const Page = ({ params, searchParams }: Args) => RootPage({ config, params, searchParams, importMap });
export default Page;
`,
  );
  write(
    "src/app/(payload)/admin/[[...segments]]/not-found.tsx",
    `${generated}import type { Metadata } from "next";
import config from "@payload-config";
import { NotFoundPage, generatePageMetadata } from "@payloadcms/next/views";
import { importMap } from "../importMap";

${pageArgs}
export const generateMetadata = ({ params, searchParams }: Args): Promise<Metadata> => generatePageMetadata({ config, params, searchParams });
const NotFound = ({ params, searchParams }: Args) => NotFoundPage({ config, params, searchParams, importMap });
export default NotFound;
`,
  );
  write(
    "src/app/(payload)/admin/importMap.js",
    `
import { CollectionCards as CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 } from "@payloadcms/next/rsc";

/** @type import('payload').ImportMap */
export const importMap = { "@payloadcms/next/rsc#CollectionCards": CollectionCards_f9c02e79a4aed9a3924487c0cd4cafb1 };
`,
  );
  write(
    "src/app/(payload)/api/[...slug]/route.ts",
    `${generated}import config from "@payload-config";
import "@payloadcms/next/css";
import { REST_DELETE, REST_GET, REST_OPTIONS, REST_PATCH, REST_POST, REST_PUT } from "@payloadcms/next/routes";

export const GET = REST_GET(config);
export const POST = REST_POST(config);
export const DELETE = REST_DELETE(config);
export const PATCH = REST_PATCH(config);
export const PUT = REST_PUT(config);
export const OPTIONS = REST_OPTIONS(config);
`,
  );
  write(
    "src/app/(payload)/layout.tsx",
    `${generated}import config from "@payload-config";
import "@payloadcms/next/css";
import type { ServerFunctionClient } from "payload";
import { handleServerFunctions, RootLayout } from "@payloadcms/next/layouts";
import React from "react";

import { importMap } from "./admin/importMap.js";

type Args = { children: React.ReactNode };

const serverFunction: ServerFunctionClient = async function (args) {
  "use server";
  return handleServerFunctions({ ...args, config, importMap });
};

const Layout = ({ children }: Args) => (
  <RootLayout config={config} importMap={importMap} serverFunction={serverFunction}>
    {children}
  </RootLayout>
);

export default Layout;
`,
  );
}

/** The plugin folder as a site gets it: its files, without anything installed or built inside it. */
const pluginFiles = (src) => !/[/\\](node_modules|\.turbo|dist)([/\\]|$)/.test(path.relative(pluginDir, src));

let failed = false;
try {
  log(`site in ${site}; plugin from ${pluginDir}`);
  makeSite();
  // 1. Copied into the site, as the README says.
  cpSync(pluginDir, path.join(site, "src/plugins/concord"), { recursive: true, filter: pluginFiles });
  // 2. Installed as a package: a tarball, so node_modules holds a real copy (a symlink would leave the site's root).
  const packed = spawnSync("npm", ["pack", pluginDir, "--pack-destination", site, "--silent"], { cwd: site, encoding: "utf8" });
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const tarball = packed.stdout.trim().split("\n").pop();
  const pkg = JSON.parse(readFileSync(path.join(site, "package.json"), "utf8"));
  pkg.dependencies["@concord/payload-plugin"] = `file:./${tarball}`;
  writeFileSync(path.join(site, "package.json"), JSON.stringify(pkg, null, 2));

  run("npm", ["install", "--no-audit", "--no-fund", "--loglevel=error"]);
  for (const bundler of bundlers) {
    rmSync(path.join(site, ".next"), { recursive: true, force: true });
    run("npx", ["next", "build", ...(bundler === "webpack" ? ["--webpack"] : [])], { env: { NODE_OPTIONS: "--no-deprecation" } });
    log(`next build (${bundler}) passed`);
  }
  log(`OK: the plugin builds in a Payload ${PAYLOAD} + Next ${dep("next")} site, copied and installed, with ${bundlers.join(" and ")}`);
} catch (err) {
  failed = true;
  console.error(`[payload-site-check] FAILED: ${err instanceof Error ? err.message : String(err)}${keep ? ` (site kept in ${site})` : ""}`);
} finally {
  if (!keep) rmSync(site, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
