import { describe, expect, it } from "vitest";
import { certificateCovers, DOMAIN_NAME } from "./domain";

describe("which names a certificate covers (ACM / RFC 6125)", () => {
  it.each([
    [["prefect.sandbox.example.com"], "prefect.sandbox.example.com", true],
    [["PREFECT.sandbox.example.com"], "prefect.sandbox.example.com", true],
    [["prefect.sandbox.example.com"], "other.sandbox.example.com", false],
    [["*.sandbox.example.com"], "prefect.sandbox.example.com", true],
    [["*.sandbox.example.com"], "sandbox.example.com", false],
    [["*.sandbox.example.com"], "a.prefect.sandbox.example.com", false],
    [["example.com", "*.example.com"], "example.com", true],
    [["www.example.com", "prefect.example.com"], "prefect.example.com", true],
    [["*.eu-west-2.elb.amazonaws.com"], "internal-prefect-1.eu-west-2.elb.amazonaws.com", true],
  ])("%j covers %s: %s", (names, host, covers) => {
    expect(certificateCovers(names, host)).toBe(covers);
  });
});

describe("domain names the form accepts", () => {
  it.each(["prefect.example.com", "a.b.c.example.co.uk", "prefect-1.sandbox.example.com"])("%s", (d) =>
    expect(DOMAIN_NAME.test(d)).toBe(true),
  );
  it.each([
    "example",
    "-a.example.com",
    "a-.example.com",
    "Prefect.example.com",
    "a..example.com",
    "*.example.com",
    "http://a.example.com",
  ])("refuses %s", (d) => expect(DOMAIN_NAME.test(d)).toBe(false));
});
