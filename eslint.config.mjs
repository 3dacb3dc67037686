import js from "@eslint/js";
import drizzle from "eslint-plugin-drizzle";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [".next/**", "node_modules/**", ".data/**", "drizzle/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "integrations/payload/node_modules/**", "scripts/bench/next-ingest/.next/**", "**/next-env.d.ts"],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { files: ["scripts/**/*.mjs", "*.mjs"], languageOptions: { globals: globals.node } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // A Drizzle delete or update without a where clause touches every row: refuse it.
    plugins: { drizzle },
    rules: {
      "drizzle/enforce-delete-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
      "drizzle/enforce-update-with-where": ["error", { drizzleObjectName: ["db", "tx"] }],
    },
  },
  {
    // Only src/env.ts reads the environment (Next's own NEXT_RUNTIME check in instrumentation aside).
    files: ["src/**/*.{ts,tsx}"],
    ignores: ["src/env.ts", "src/instrumentation.ts"],
    rules: {
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "Read configuration through ~/env." }],
    },
  },
  {
    // The engine is framework-free: imports point one way, app → server → sync.
    files: ["src/sync/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["next", "next/*", "next-auth", "next-auth/*", "@trpc/*", "react", "react-dom", "~/env", "~/server/*", "~/app/*", "~/components/*", "~/trpc/*"], message: "src/sync stays framework-free and receives its dependencies." }] },
      ],
    },
  },
  {
    files: ["src/components/**/*.{ts,tsx}"],
    rules: {
      // Types are fine (they vanish at build); values from the server are not.
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { patterns: [{ group: ["~/server/*", "~/env"], message: "UI pieces import nothing server-side.", allowTypeImports: true }] },
      ],
    },
  },
);
