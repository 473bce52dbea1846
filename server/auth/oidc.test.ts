import { describe, expect, it } from "vitest";
import { describeOidcError, roleForGroups } from "./oidc";

describe("roleForGroups", () => {
  const map: Array<[string, "viewer" | "operator" | "admin"]> = [
    ["platform-admins", "admin"],
    ["oncall", "operator"],
    ["everyone", "viewer"],
  ];
  it("gives the strongest role any group maps to, whatever the order", () => {
    expect(roleForGroups(["everyone", "oncall"], map)).toBe("operator");
    expect(roleForGroups(["oncall", "platform-admins", "everyone"], map)).toBe("admin");
    expect(roleForGroups(["everyone"], map)).toBe("viewer");
  });
  it("gives no role to someone in no mapped group (names match exactly)", () => {
    expect(roleForGroups(["contractors", "Platform-Admins"], map)).toBeUndefined();
    expect(roleForGroups([], map)).toBeUndefined();
  });
});

describe("describeOidcError", () => {
  it("keeps the library's precise cause and the provider's error code for the audit log", () => {
    const wrapped = Object.assign(
      new Error("invalid response encountered", { cause: new Error('unexpected "iss" (issuer) response parameter value') }),
      {
        code: "OAUTH_INVALID_RESPONSE",
      },
    );
    expect(describeOidcError(wrapped)).toBe(
      'OAUTH_INVALID_RESPONSE — invalid response encountered — unexpected "iss" (issuer) response parameter value',
    );
    const refused = Object.assign(new Error("server responded with an error in the response body"), {
      error: "invalid_grant",
      error_description: "grant request is invalid",
    });
    expect(describeOidcError(refused)).toBe(
      "server responded with an error in the response body — invalid_grant — grant request is invalid",
    );
  });
});
