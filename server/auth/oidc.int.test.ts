import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OIDC_TEST_CLIENT, startTestOidcProvider, type TestOidcProvider } from "@/e2e/oidc-test-provider";
import { openDb, type Db } from "@/server/db";
import { beginOidcSignIn, completeOidcSignIn, type OidcSettings } from "./oidc";

// The callback checks the browser cannot see: an ID token whose nonce is not the one this sign-in sent is refused
// (here the sign-in in flight is given another nonce after the provider issued its token). Against a real provider.
const REDIRECT = "http://127.0.0.1:9/login/oidc/callback"; // never fetched: the test reads the provider's Location

let provider: TestOidcProvider;
let settings: OidcSettings;
let db: Db;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });

/** A browser in miniature: follows the provider's redirects and posts its sign-in and consent forms. */
async function codeCallback(authUrl: URL, login: string): Promise<URL> {
  const jar = new Map<string, string>();
  const send = async (url: string, body?: URLSearchParams) => {
    const res = await fetch(url, {
      method: body ? "POST" : "GET",
      body,
      redirect: "manual",
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; ") },
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const [k, ...v] = pair!.split("=");
      jar.set(k!.trim(), v.join("="));
    }
    return res;
  };
  let url = authUrl.href;
  for (let i = 0; i < 12; i++) {
    if (url.startsWith(REDIRECT)) return new URL(url);
    let res = await send(url);
    if (res.status === 200) {
      const html = await res.text();
      const body = html.includes('name="login"')
        ? new URLSearchParams({ prompt: "login", login, password: "any" })
        : new URLSearchParams({ prompt: "consent" });
      res = await send(new URL(/action="([^"]+)"/.exec(html)![1]!, url).href, body);
    }
    url = new URL(res.headers.get("location")!, url).href;
  }
  throw new Error("no callback");
}

beforeAll(async () => {
  const port = await freePort();
  provider = await startTestOidcProvider({ port, redirectUri: REDIRECT });
  settings = {
    issuer: new URL(provider.issuer),
    clientId: OIDC_TEST_CLIENT.id,
    clientSecret: OIDC_TEST_CLIENT.secret,
    redirectUri: REDIRECT,
    name: "Test IdP",
    groupsClaim: "groups",
    // The same mapping e2e/server.ts gives the console (OIDC_TEST_ROLE_MAP).
    roleMap: [
      ["platform-admins", "admin"],
      ["oncall", "operator"],
    ],
  };
  db = await openDb({ file: ":memory:" });
});
afterAll(async () => {
  await provider.stop();
  await db.close();
});

describe("OIDC callback against a real provider", () => {
  it("signs in with the mapped role when everything matches", async () => {
    const { url, state } = await beginOidcSignIn(db, settings, { redirectUri: REDIRECT, next: "/stacks/production" });
    const outcome = await completeOidcSignIn(db, settings, { callbackUrl: await codeCallback(url, "oscar"), cookieState: state });
    expect(outcome).toMatchObject({ ok: true, next: "/stacks/production", user: { email: "oscar@idp.example.com", role: "operator" } });
  });

  it("refuses an ID token carrying another sign-in's nonce", async () => {
    const { url, state } = await beginOidcSignIn(db, settings, { redirectUri: REDIRECT });
    const callbackUrl = await codeCallback(url, "alice");
    await db.run("UPDATE oidc_logins SET nonce = ?", ["a-nonce-this-sign-in-never-sent-000000"]);
    const outcome = await completeOidcSignIn(db, settings, { callbackUrl, cookieState: state });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.kind).toBe("failed");
    expect(!outcome.ok && outcome.detail).toMatch(/nonce/);
  });
});
