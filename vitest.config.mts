import { defineConfig } from "vitest/config";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.dirname(fileURLToPath(import.meta.url));

const alias = {
  "@": root,
  // `server-only` throws outside React Server Components; in tests every module is server-side.
  "server-only": path.join(root, "test/empty-module.ts"),
};

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: "unit",
          environment: "node",
          include: ["{lib,server,components,app,sandbox}/**/*.test.{ts,tsx}", "test/**/*.test.ts"],
          exclude: ["**/*.int.test.ts", "node_modules/**"],
          globalSetup: ["test/global-postgres.ts"],
        },
      },
      {
        resolve: { alias },
        test: {
          name: "integration",
          environment: "node",
          include: ["**/*.int.test.ts"],
          exclude: ["node_modules/**"],
          globalSetup: ["test/global-postgres.ts", "test/global-sandbox.ts"],
          setupFiles: ["test/integration-setup.ts"],
          // One sandbox is shared by every integration file; files run one at a time so counts are honest.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
