import { describe, expect, it } from "vitest";
import fs from "node:fs";
import { evaluate, route53Operation, type PolicyDocument } from "./aws-proxy/authorization";
import type { PolicyStatement } from "./physics/iam-policy";
import { consolePolicyPath } from "./console-identity";

const doc = (Statement: PolicyStatement[]): PolicyDocument => ({ Statement });

describe("IAM policy evaluation", () => {
  it("needs an Allow for every resource; an explicit Deny wins", () => {
    const allow = doc([{ Effect: "Allow", Action: "ecs:*", Resource: "arn:aws:ecs:*:*:cluster/prefect-*" }]);
    const q = (r: string) => ({ action: "ecs:CreateCluster", resources: [r], context: {} });
    expect(evaluate([allow], q("arn:aws:ecs:us-east-1:1:cluster/prefect-a")).allowed).toBe(true);
    expect(evaluate([allow], q("arn:aws:ecs:us-east-1:1:cluster/other")).allowed).toBe(false);
    const deny = doc([{ Effect: "Deny", Action: "ecs:CreateCluster", Resource: "*" }]);
    expect(evaluate([allow, deny], q("arn:aws:ecs:us-east-1:1:cluster/prefect-a"))).toMatchObject({ allowed: false, explicit: true });
    expect(
      evaluate([allow], {
        action: "ecs:CreateCluster",
        resources: ["arn:aws:ecs:x:1:cluster/prefect-a", "arn:aws:ecs:x:1:cluster/b"],
        context: {},
      }).allowed,
    ).toBe(false);
  });

  it("multivalued keys: ForAllValues holds for every value (and for none), ForAnyValue for one; single-valued operators never match a list", () => {
    const only = doc([
      {
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: "*",
        Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } },
      },
    ]);
    const q = (keys?: string[]) => ({ action: "ec2:CreateTags", resources: ["*"], context: keys ? { "aws:TagKeys": keys } : {} });
    expect(evaluate([only], q(["a"])).allowed).toBe(true);
    expect(evaluate([only], q(["a", "c"])).allowed).toBe(false);
    expect(evaluate([only], q()).allowed).toBe(true);
    const any = doc([
      { Effect: "Allow", Action: "ec2:CreateTags", Resource: "*", Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": "a" } } },
    ]);
    expect(evaluate([any], q(["c", "a"])).allowed).toBe(true);
    expect(evaluate([any], q(["c"])).allowed).toBe(false);
    const single = doc([{ Effect: "Allow", Action: "ec2:CreateTags", Resource: "*", Condition: { StringEquals: { "aws:TagKeys": "a" } } }]);
    expect(evaluate([single], q(["a"])).allowed).toBe(false);
  });

  it("conditions: unknown keys never match; Null and IfExists as IAM defines them", () => {
    const tagged = doc([
      { Effect: "Allow", Action: "ec2:DeleteSecurityGroup", Resource: "*", Condition: { Null: { "aws:ResourceTag/t": "false" } } },
    ]);
    expect(evaluate([tagged], { action: "ec2:DeleteSecurityGroup", resources: ["*"], context: { "aws:ResourceTag/t": "x" } }).allowed).toBe(
      true,
    );
    expect(evaluate([tagged], { action: "ec2:DeleteSecurityGroup", resources: ["*"], context: {} }).allowed).toBe(false);
    const strict = doc([
      {
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: "*",
        Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
      },
    ]);
    expect(evaluate([strict], { action: "iam:PassRole", resources: ["*"], context: {} }).allowed).toBe(false);
    const ifExists = doc([
      { Effect: "Allow", Action: "iam:GetRole", Resource: "*", Condition: { StringLikeIfExists: { "iam:AWSServiceName": "ecs.*" } } },
    ]);
    expect(evaluate([ifExists], { action: "iam:GetRole", resources: ["*"], context: {} }).allowed).toBe(true);
    expect(
      evaluate([ifExists], { action: "iam:GetRole", resources: ["*"], context: { "iam:AWSServiceName": "lambda.amazonaws.com" } }).allowed,
    ).toBe(false);
  });

  it("Route 53's REST paths name their operation and resource", () => {
    expect(route53Operation("POST", "/2013-04-01/hostedzone/Z123/rrset/")).toEqual({
      operation: "ChangeResourceRecordSets",
      resource: "arn:aws:route53:::hostedzone/Z123",
    });
    expect(route53Operation("GET", "/2013-04-01/hostedzonesbyname?dnsname=x")).toEqual({ operation: "ListHostedZonesByName" });
    expect(route53Operation("GET", "/2013-04-01/change/C1").operation).toBe("GetChange");
  });

  it("the shipped policy lets the console claim an unclaimed prefect-* security group with its stack tag, and nothing more", () => {
    const policy = JSON.parse(fs.readFileSync(consolePolicyPath(), "utf8")) as PolicyDocument;
    const sg = "arn:aws:ec2:us-east-1:123456789012:security-group/sg-1";
    const claim = (resourceTags: Record<string, string>, tags: Record<string, string>) =>
      evaluate([policy], {
        action: "ec2:CreateTags",
        resources: [sg],
        context: {
          ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [`aws:RequestTag/${k}`, v])),
          "aws:TagKeys": Object.keys(tags),
        },
        resourceContext: { [sg]: Object.fromEntries(Object.entries(resourceTags).map(([k, v]) => [`aws:ResourceTag/${k}`, v])) },
      }).allowed;
    const stack = { "prefect-console:stack": "prod" };
    expect(claim({ Name: "prefect-alb-prod" }, stack)).toBe(true);
    // Another key beside the stack tag, a group not named prefect-*, a group another stack already claimed: refused.
    expect(claim({ Name: "prefect-alb-prod" }, { ...stack, Name: "x" })).toBe(false);
    expect(claim({ Name: "payments-db" }, stack)).toBe(false);
    expect(claim({}, stack)).toBe(false);
    expect(claim({ Name: "prefect-alb-prod", "prefect-console:stack": "staging" }, stack)).toBe(false);
    // No stack tag in the request: ForAllValues alone would hold for an empty key list; the Null check refuses it.
    expect(claim({ Name: "prefect-alb-prod" }, {})).toBe(false);
  });

  it("the shipped policy is valid JSON with no admin wildcard", () => {
    const policy = JSON.parse(fs.readFileSync(consolePolicyPath(), "utf8")) as { Statement: PolicyStatement[] };
    const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : s.Action ? [s.Action] : []));
    expect(actions.length).toBeGreaterThan(50);
    expect(actions.filter((a) => a === "*" || a.endsWith(":*"))).toEqual([]);
  });
});
