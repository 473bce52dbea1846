import { describe, expect, it } from "vitest";
import { classifyAwsError } from "./errors";

describe("classifyAwsError", () => {
  it("a role ECS cannot assume yet (IAM propagation) is retried, not terminal", () => {
    const createService = {
      name: "InvalidParameterException",
      message:
        "Unable to assume role and validate the specified targetGroupArn. Please verify that the ECS service role being passed has the proper permissions.",
    };
    expect(classifyAwsError(createService)).toMatchObject({ retryable: true });
    const launch = { name: "ClientException", message: "ECS was unable to assume the role 'arn:aws:iam::1:role/prefect-ecs-execution-x'" };
    expect(classifyAwsError(launch)).toMatchObject({ retryable: true });
  });
  it("other invalid parameters stay terminal; access denied stays access denied", () => {
    expect(classifyAwsError({ name: "InvalidParameterException", message: "cpu must be one of …" })).toMatchObject({
      kind: "invalid",
      retryable: false,
    });
    expect(classifyAwsError({ name: "AccessDeniedException", message: "not authorized" })).toMatchObject({
      kind: "access-denied",
      retryable: false,
    });
  });
});
