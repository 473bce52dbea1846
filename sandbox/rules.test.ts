// Pure pieces of the AWS rules the sandbox enforces: IAM policy evaluation, certificate name coverage, CIDR and
// security-group matching, registry classification (sandbox/README.md, rule table).
import { describe, expect, it } from "vitest";
import { certificateCovers } from "./dns";
import { evaluate, trusts } from "./physics/iam-policy";
import { registryOf } from "./physics/task-start";
import { admits, cidrCovers } from "./physics/vpc";

const secret = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prefect/db-AbCdEf";

describe("IAM policy evaluation", () => {
  it("allows with wildcards in action and resource, denies implicitly otherwise, and an explicit Deny wins", () => {
    const allow = {
      Statement: [{ Effect: "Allow", Action: "secretsmanager:Get*", Resource: "arn:aws:secretsmanager:*:*:secret:prefect/*" }],
    };
    expect(evaluate([allow], "secretsmanager:GetSecretValue", secret)).toBe("allow");
    expect(evaluate([allow], "SecretsManager:getsecretvalue", secret)).toBe("allow"); // actions are case-insensitive
    expect(evaluate([allow], "secretsmanager:GetSecretValue", secret.replace("prefect/db", "other/db"))).toBe("implicit-deny");
    expect(evaluate([allow], "secretsmanager:PutSecretValue", secret)).toBe("implicit-deny");
    const deny = { Statement: { Effect: "Deny", Action: ["secretsmanager:*"], Resource: secret } };
    expect(evaluate([allow, deny], "secretsmanager:GetSecretValue", secret)).toBe("explicit-deny");
    expect(evaluate([{ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }], "ssm:GetParameters", "x")).toBe("allow");
    // A conditional Allow is not evaluated here: it does not grant (strict).
    const conditional = {
      Statement: [{ Effect: "Allow", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }],
    };
    expect(evaluate([conditional], "secretsmanager:GetSecretValue", secret)).toBe("implicit-deny");
  });

  it("a role is assumable by ECS tasks only if its trust policy names ecs-tasks.amazonaws.com", () => {
    const trust = (service: string) => ({ Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] });
    expect(trusts(trust("ecs-tasks.amazonaws.com"), "ecs-tasks.amazonaws.com")).toBe(true);
    expect(trusts(trust("ec2.amazonaws.com"), "ecs-tasks.amazonaws.com")).toBe(false);
  });
});

describe("names, addresses, registries", () => {
  it("a wildcard certificate covers exactly one label; ACM names never cover the ALB's own name", () => {
    expect(certificateCovers(["*.sandbox.example.com"], "prefect.sandbox.example.com")).toBe(true);
    expect(certificateCovers(["*.sandbox.example.com"], "a.b.sandbox.example.com")).toBe(false);
    expect(certificateCovers(["*.sandbox.example.com"], "sandbox.example.com")).toBe(false);
    expect(certificateCovers(["prefect.sandbox.example.com"], "PREFECT.sandbox.example.com")).toBe(true);
    expect(certificateCovers(["prefect.sandbox.example.com"], "prefect-x-1.us-east-1.elb.amazonaws.com")).toBe(false);
  });

  it("security group rules admit a port from a referenced group or a covering CIDR", () => {
    const rules = [
      { IpProtocol: "tcp", FromPort: 4200, ToPort: 4200, UserIdGroupPairs: [{ GroupId: "sg-tasks" }] },
      { IpProtocol: "tcp", FromPort: 80, ToPort: 80, IpRanges: [{ CidrIp: "52.1.2.3/32" }] },
    ];
    expect(admits(rules, 4200, { groups: ["sg-tasks"] })).toBe(true);
    expect(admits(rules, 4200, { groups: ["sg-other"], ip: "10.0.10.5" })).toBe(false);
    expect(admits(rules, 80, { groups: [], ip: "52.1.2.3" })).toBe(true);
    expect(admits(rules, 80, { groups: [], ip: "52.1.2.4" })).toBe(false);
    expect(admits([{ IpProtocol: "-1", IpRanges: [{ CidrIp: "0.0.0.0/0" }] }], 443, { groups: [], ip: "3.4.5.6" })).toBe(true);
    expect(cidrCovers("10.0.0.0/16", "10.0.11.7")).toBe(true);
    expect(cidrCovers("10.0.0.0/16", "10.1.0.7")).toBe(false);
  });

  it("ECR images are reachable through VPC endpoints; Docker Hub and other registries need the internet", () => {
    expect(registryOf("123456789012.dkr.ecr.us-east-1.amazonaws.com/prefect:3").kind).toBe("ecr");
    expect(registryOf("prefecthq/prefect:3.6.22-python3.12")).toEqual({
      kind: "internet",
      host: "registry-1.docker.io",
      ref: "docker.io/prefecthq/prefect:3.6.22-python3.12",
    });
    expect(registryOf("nginx")).toMatchObject({ ref: "docker.io/library/nginx:latest" });
    expect(registryOf("public.ecr.aws/prefect/prefect:3")).toMatchObject({ kind: "internet", host: "public.ecr.aws" });
  });
});
