// A small IAM policy evaluator for what ECS does with a task's roles (issue 10 item 1): is `action` on `resource`
// allowed by a set of identity-based policy documents? Explicit Deny wins, then any Allow, else implicit deny
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html). `*` and `?` wildcards
// in Action/Resource (actions case-insensitive), NotAction/NotResource. Conditions are not evaluated: an Allow with a
// Condition does not grant here (strict), a Deny with one applies (strict).

export interface PolicyStatement {
  Effect?: string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  Condition?: unknown;
}

export interface PolicyDocument {
  Statement?: PolicyStatement | PolicyStatement[];
}

export type Decision = "allow" | "explicit-deny" | "implicit-deny";

export const list = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, ignoreCase ? "i" : "").test(value);
}

/** Whether a statement's Action/NotAction and Resource/NotResource cover this action on this resource (conditions aside). */
export function matches(s: PolicyStatement, action: string, resource: string): boolean {
  const actionOk =
    s.NotAction !== undefined
      ? !list(s.NotAction).some((p) => wildcardMatch(p, action, true))
      : list(s.Action).some((p) => wildcardMatch(p, action, true));
  if (!actionOk) return false;
  return s.NotResource !== undefined
    ? !list(s.NotResource).some((p) => wildcardMatch(p, resource))
    : list(s.Resource).some((p) => wildcardMatch(p, resource));
}

export function evaluate(docs: PolicyDocument[], action: string, resource: string): Decision {
  let allowed = false;
  for (const doc of docs) {
    const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
    for (const s of statements) {
      if (!matches(s, action, resource)) continue;
      if (s.Effect === "Deny") return "explicit-deny";
      if (s.Effect === "Allow" && s.Condition === undefined) allowed = true;
    }
  }
  return allowed ? "allow" : "implicit-deny";
}

/** Does a role's trust policy let `service` (e.g. ecs-tasks.amazonaws.com) call sts:AssumeRole? */
export function trusts(doc: PolicyDocument, service: string): boolean {
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.some((s) => {
    if (s.Effect !== "Allow" || !list(s.Action).some((a) => wildcardMatch(a, "sts:AssumeRole", true))) return false;
    const p = s.Principal as { Service?: string | string[] } | string | undefined;
    if (p === "*") return true;
    return typeof p === "object" && list(p.Service).includes(service);
  });
}

/** Policy documents come URL-encoded from IAM's query API (moto sometimes sends them plain). */
export function parsePolicyDocument(raw: string | undefined): PolicyDocument {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as PolicyDocument;
  } catch {
    return JSON.parse(decodeURIComponent(raw)) as PolicyDocument;
  }
}
