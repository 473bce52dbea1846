import { describe, expect, it } from "vitest";
import { redactCredentials } from "./redact";

describe("redactCredentials", () => {
  it("hides the password of a database URL and keeps the rest readable", () => {
    expect(redactCredentials("PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect:s3cr3tPw@db.example:5432/prefect")).toBe(
      "PREFECT_API_DATABASE_CONNECTION_URL=postgresql+asyncpg://prefect:***@db.example:5432/prefect",
    );
  });
  it("hides values of variables whose names say they hold secrets, in both NAME=value and JSON", () => {
    expect(redactCredentials('["PREFECT_SERVER_API_AUTH_STRING=admin:pw","PREFECT_SERVER_API_PORT=4200"]')).toBe(
      '["PREFECT_SERVER_API_AUTH_STRING=***","PREFECT_SERVER_API_PORT=4200"]',
    );
    expect(redactCredentials('{"DB_PASSWORD": "hunter2"}')).toBe('{"DB_PASSWORD": "***"}');
  });
  it("leaves text without credentials alone", () => {
    const text = "http://internal-prefect-production-1.eu-west-2.elb.amazonaws.com/api, arn:aws:iam::123456789012:role/x";
    expect(redactCredentials(text)).toBe(text);
  });
});
