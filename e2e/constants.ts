// Shared by the Playwright config, the e2e server launcher and the specs.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = `http://127.0.0.1:${E2E_PORT}`;
/** The test OpenID Connect provider (e2e/oidc-test-provider.ts) listens beside the console. */
export const OIDC_PORT = E2E_PORT + 1000;

export const users = {
  admin: { email: "admin@example.com", password: "admin-password-e2e", name: "Administrator" },
  operator: { email: "operator@example.com", password: "operator-password-e2e", name: "Olive Operator" },
  viewer: { email: "viewer@example.com", password: "viewer-password-e2e", name: "Victor Viewer" },
} as const;

export type E2ERole = keyof typeof users;
export const storageState = (role: E2ERole) => `e2e/.auth/${role}.json`;

/** Where the launcher writes the sandbox's endpoints for specs that need its knobs (admin URL, VPC ids). */
export const SANDBOX_INFO_FILE = "e2e/.auth/sandbox.json";
