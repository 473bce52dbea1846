import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      // Only tells that the React Compiler would skip a component (e.g. one using TanStack Virtual); the console
      // does not enable the compiler, so there is nothing to act on.
      "react-hooks/incompatible-library": "off",
    },
  },
  // The browser/server boundary (docs/architecture.md): client code and lib/ import DTO types and pure helpers from
  // lib/, never from server/ (every server module is server-only; test/server-only.test.ts checks that half).
  {
    files: ["components/**", "lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(@/|(\\.\\./)+)server(/|$)",
              message: "components/ and lib/ may not import server/: move the DTO type or pure helper to lib/.",
            },
          ],
        },
      ],
    },
  },
  // Pages, layouts, actions and route handlers go through domain services (server/stack, server/ops, …), never the
  // AWS wrappers. Tests may reach server/aws (e.g. to count AWS calls).
  {
    files: ["app/**"],
    ignores: ["**/*.test.ts", "**/*.test.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^@/server/aws(/|$)",
              message: "app/ may not import server/aws: call (or add) a domain service in server/ that speaks stacks, not SDK calls.",
            },
          ],
        },
      ],
    },
  },
  // TEMPORARY, until server/errors.ts (issue 9 item 3) lands: these three pages still tell a ConsoleAwsError apart
  // themselves; with safeMessage they import nothing from server/aws and this block goes.
  {
    files: ["app/(console)/stacks/[[]env]/{destroy,logs,metrics}/page.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ regex: "^@/server/aws/(?!errors$)", message: "app/ may not import server/aws: go through a domain service." }] },
      ],
    },
  },
  { ignores: [".next/**", "node_modules/**", ".data/**", "test-results/**", "playwright-report/**", "next-env.d.ts", "bench/results/**"] },
];
export default config;
