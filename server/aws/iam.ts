import "server-only";
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DeleteRolePolicyCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListRolePoliciesCommand,
  PutRolePolicyCommand,
  UpdateAssumeRolePolicyCommand,
  type Role,
} from "@aws-sdk/client-iam";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

// Thin IAM wrappers for the stack's ECS roles. IAM is global; the SDK still wants a region for signing.

const iam = (region: string) => awsClient(IAMClient, region);

export interface RoleState {
  role: Role;
  /** Trust policy, decoded. */
  trust: unknown;
  managedPolicyArns: string[];
  /** Inline policies by name, decoded. */
  inline: Record<string, unknown>;
}

const decode = (doc: string | undefined): unknown => (doc ? (JSON.parse(decodeURIComponent(doc)) as unknown) : undefined);

// aws iam get-role --role-name N; list-attached-role-policies; list-role-policies; get-role-policy (per inline policy)
export async function findRole(region: string, name: string): Promise<RoleState | undefined> {
  let role: Role | undefined;
  try {
    role = (await iam(region).send(new GetRoleCommand({ RoleName: name }))).Role;
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("iam:GetRole", name, () => Promise.reject(err));
  }
  if (!role) return undefined;
  const [attached, inlineNames] = await Promise.all([
    aws("iam:ListAttachedRolePolicies", name, () => iam(region).send(new ListAttachedRolePoliciesCommand({ RoleName: name }))),
    aws("iam:ListRolePolicies", name, () => iam(region).send(new ListRolePoliciesCommand({ RoleName: name }))),
  ]);
  const inline: Record<string, unknown> = {};
  for (const p of inlineNames.PolicyNames ?? []) {
    const doc = await aws("iam:GetRolePolicy", `${name}/${p}`, () =>
      iam(region).send(new GetRolePolicyCommand({ RoleName: name, PolicyName: p })),
    );
    inline[p] = decode(doc.PolicyDocument);
  }
  return {
    role,
    trust: decode(role.AssumeRolePolicyDocument),
    managedPolicyArns: (attached.AttachedPolicies ?? []).map((a) => a.PolicyArn ?? "").filter(Boolean),
    inline,
  };
}

// aws iam create-role --role-name N --assume-role-policy-document … --tags …
export async function createRole(
  region: string,
  input: { name: string; description: string; trust: unknown; tags: Record<string, string> },
): Promise<void> {
  try {
    await iam(region).send(
      new CreateRoleCommand({
        RoleName: input.name,
        Description: input.description,
        AssumeRolePolicyDocument: JSON.stringify(input.trust),
        Tags: Object.entries(input.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
  } catch (err) {
    // EntityAlreadyExists on a retried step: the policies are reconciled right after, so this is fine.
    if (classifyAwsError(err).kind === "conflict") return;
    await aws("iam:CreateRole", input.name, () => Promise.reject(err));
  }
}

// aws iam update-assume-role-policy --role-name N --policy-document …
export async function updateTrust(region: string, name: string, trust: unknown): Promise<void> {
  await aws("iam:UpdateAssumeRolePolicy", name, () =>
    iam(region).send(new UpdateAssumeRolePolicyCommand({ RoleName: name, PolicyDocument: JSON.stringify(trust) })),
  );
}

// aws iam attach-role-policy / detach-role-policy --role-name N --policy-arn A  (≤ 10 managed policies per role)
export async function attachPolicy(region: string, name: string, policyArn: string): Promise<void> {
  await aws("iam:AttachRolePolicy", name, () => iam(region).send(new AttachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })));
}
export async function detachPolicy(region: string, name: string, policyArn: string): Promise<void> {
  await aws("iam:DetachRolePolicy", name, () => iam(region).send(new DetachRolePolicyCommand({ RoleName: name, PolicyArn: policyArn })));
}

// aws iam put-role-policy --role-name N --policy-name P --policy-document …  (inline ≤ 10,240 characters per role)
export async function putInlinePolicy(region: string, name: string, policyName: string, doc: unknown): Promise<void> {
  await aws("iam:PutRolePolicy", `${name}/${policyName}`, () =>
    iam(region).send(new PutRolePolicyCommand({ RoleName: name, PolicyName: policyName, PolicyDocument: JSON.stringify(doc) })),
  );
}
export async function deleteInlinePolicy(region: string, name: string, policyName: string): Promise<void> {
  await aws("iam:DeleteRolePolicy", `${name}/${policyName}`, () =>
    iam(region).send(new DeleteRolePolicyCommand({ RoleName: name, PolicyName: policyName })),
  );
}

// aws iam delete-role --role-name N  (policies must be detached/deleted first: DeleteConflict otherwise)
export async function deleteRole(region: string, name: string): Promise<void> {
  try {
    await iam(region).send(new DeleteRoleCommand({ RoleName: name }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("iam:DeleteRole", name, () => Promise.reject(err));
  }
}

// aws iam get-role --role-name aws-service-role/… (a service-linked role: exists or not; AWS creates it on first use
// of the service when the caller may call iam:CreateServiceLinkedRole)
export async function serviceLinkedRoleExists(region: string, name: string): Promise<boolean> {
  try {
    await iam(region).send(new GetRoleCommand({ RoleName: name }));
    return true;
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return false;
    return aws("iam:GetRole", name, () => Promise.reject(err));
  }
}
