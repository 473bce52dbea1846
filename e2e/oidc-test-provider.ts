// A real OpenID Connect provider (the `oidc-provider` package) on 127.0.0.1 for the single sign-on tests. Its
// development login page accepts any login name (any password); the name decides the groups in the ID token.
import http from "node:http";
import Provider from "oidc-provider";

export const OIDC_TEST_CLIENT = { id: "prefect-console", secret: "e2e-client-secret-not-used-anywhere-else" } as const;

/** Login names the tests use, and the groups the provider puts in their `groups` claim. */
export const OIDC_TEST_ACCOUNTS: Record<string, string[]> = {
  alice: ["platform-admins", "everyone"],
  oscar: ["oncall", "everyone"],
  mallory: ["contractors"],
};
export const OIDC_TEST_ROLE_MAP = "platform-admins=admin,oncall=operator";

export interface TestOidcProvider {
  issuer: string;
  stop: () => Promise<void>;
}

export async function startTestOidcProvider(o: { port: number; redirectUri: string; codeTtlSeconds?: number }): Promise<TestOidcProvider> {
  const issuer = `http://127.0.0.1:${o.port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_TEST_CLIENT.id,
        client_secret: OIDC_TEST_CLIENT.secret,
        redirect_uris: [o.redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    async findAccount(_ctx, id) {
      return {
        accountId: id,
        claims: async () => ({
          sub: `sub-${id}`,
          email: `${id}@idp.example.com`,
          email_verified: true,
          name: id.charAt(0).toUpperCase() + id.slice(1),
          groups: OIDC_TEST_ACCOUNTS[id] ?? [],
        }),
      };
    },
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // Put the scope's claims in the ID token itself (as Okta / Entra ID do with a groups claim configured).
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    ttl: { AuthorizationCode: o.codeTtlSeconds ?? 60, Session: 600, Interaction: 600, Grant: 600, IdToken: 300, AccessToken: 300 },
    cookies: { keys: ["e2e-oidc-cookie-key-0123456789abcdef"] },
    features: { devInteractions: { enabled: true } },
  });
  const server = http.createServer(provider.callback());
  await new Promise<void>((resolve) => server.listen(o.port, "127.0.0.1", resolve));
  return {
    issuer,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
