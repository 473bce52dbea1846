// The console runs as an IAM user holding exactly docs/iam-policy.json: every request signed with that user's access
// key is evaluated here like IAM does before the call reaches moto (moto's own enforcement only ever sees resource
// "*" and no condition keys). Explicit Deny wins, then an Allow whose Action, Resource and Condition all match, else
// AccessDenied in the service's own error shape. Requests signed with any other key (the sandbox's seed, its tests)
// are not evaluated: they play the account's administrator.
// Policy grammar: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
import { DescribeTagsCommand } from "@aws-sdk/client-ec2";
import type { MotoClients } from "../clients";
import { list, matches, wildcardMatch, type PolicyDocument, type PolicyStatement } from "../physics/iam-policy";
import { awsError, type AwsRequest, type ErrorResponse } from "./protocol";

export type { PolicyDocument };

export const ACCOUNT_ID = "123456789012";

/** One authorization question: the action, the resource ARNs it touches, and the request's condition keys. */
export interface AuthQuestion {
  action: string;
  resources: string[];
  /** Condition keys; multivalued ones (aws:TagKeys) are lists, asked with ForAllValues:/ForAnyValue: operators. */
  context: Context;
  /** Keys that differ per resource (aws:ResourceTag/… of each group a CreateTags names), merged over `context`. */
  resourceContext?: Record<string, Context>;
}

type Context = Record<string, string | string[] | undefined>;

/** IAM service prefix for a SigV4 signing name. */
const IAM_PREFIX: Record<string, string> = { monitoring: "cloudwatch" };

/** Condition operators the console policy uses; any other operator or unknown key never matches (not lenient). */
export function conditionHolds(op: string, key: string, want: string[], context: Context): boolean {
  const set = /^(ForAllValues|ForAnyValue):(.+)$/.exec(op);
  const raw = context[key];
  if (set) {
    // Set operators (IAM "Multivalued context keys"): ForAllValues holds when every value matches — and, as on AWS,
    // when the key is absent (pair it with a Null check); ForAnyValue needs at least one matching value.
    const values = raw === undefined ? [] : Array.isArray(raw) ? raw : [raw];
    const one = (v: string) => conditionHolds(set[2] ?? "", key, want, { [key]: v });
    return set[1] === "ForAllValues" ? values.every(one) : values.some(one);
  }
  const ifExists = op.endsWith("IfExists");
  const base = ifExists ? op.slice(0, -"IfExists".length) : op;
  const has = Object.prototype.hasOwnProperty.call(context, key);
  if (base === "Null") return want.some((w) => (w === "true") === (raw === undefined));
  // A single-valued operator on a multivalued key never matches (not lenient).
  if (Array.isArray(raw)) return false;
  const value = raw;
  if (!has || value === undefined) return ifExists;
  switch (base) {
    case "StringEquals":
    case "ArnEquals":
      return want.includes(value);
    case "StringNotEquals":
      return !want.includes(value);
    case "StringLike":
    case "ArnLike":
      return want.some((w) => wildcardMatch(w, value));
    case "StringEqualsIgnoreCase":
      return want.some((w) => w.toLowerCase() === value.toLowerCase());
    case "Bool":
      return want.includes(value);
    default:
      return false;
  }
}

/** The statement matches the action and resource (physics/iam-policy.ts) and every one of its conditions holds. */
function statementApplies(s: PolicyStatement, q: AuthQuestion, resource: string): boolean {
  if (!matches(s, q.action, resource)) return false;
  const conditions = (s.Condition ?? {}) as Record<string, Record<string, string | string[]>>;
  const context = { ...q.context, ...q.resourceContext?.[resource] };
  for (const [op, keys] of Object.entries(conditions))
    for (const [key, want] of Object.entries(keys)) if (!conditionHolds(op, key, list(want), context)) return false;
  return true;
}

/** IAM's decision for one question: every resource must be allowed, and none denied. Pure. */
export function evaluate(policies: PolicyDocument[], q: AuthQuestion): { allowed: boolean; deniedResource?: string; explicit?: boolean } {
  const statements = policies.flatMap((p) => (Array.isArray(p.Statement) ? p.Statement : p.Statement ? [p.Statement] : []));
  for (const resource of q.resources.length ? q.resources : ["*"]) {
    if (statements.some((s) => s.Effect === "Deny" && statementApplies(s, q, resource)))
      return { allowed: false, deniedResource: resource, explicit: true };
    if (!statements.some((s) => s.Effect === "Allow" && statementApplies(s, q, resource)))
      return { allowed: false, deniedResource: resource };
  }
  return { allowed: true };
}

// ---- what each request touches ----

type Json = Record<string, unknown>;
const str = (v: unknown) => (typeof v === "string" && v ? v : undefined);

/** Route 53 speaks REST-XML: the operation is in the method and path. */
export function route53Operation(method: string, path: string): { operation: string; resource?: string } {
  const p = path.split("?")[0] ?? "";
  let m: RegExpExecArray | null;
  if (/^\/2013-04-01\/hostedzonesbyname\/?$/.test(p)) return { operation: "ListHostedZonesByName" };
  if ((m = /^\/2013-04-01\/hostedzone\/([^/]+)\/rrset\/?$/.exec(p)))
    return {
      operation: method === "POST" ? "ChangeResourceRecordSets" : "ListResourceRecordSets",
      resource: `arn:aws:route53:::hostedzone/${m[1]}`,
    };
  if ((m = /^\/2013-04-01\/change\/([^/]+)$/.exec(p))) return { operation: "GetChange", resource: `arn:aws:route53:::change/${m[1]}` };
  if ((m = /^\/2013-04-01\/hostedzone\/([^/]+)$/.exec(p)))
    return { operation: method === "DELETE" ? "DeleteHostedZone" : "GetHostedZone", resource: `arn:aws:route53:::hostedzone/${m[1]}` };
  if (/^\/2013-04-01\/hostedzone\/?$/.test(p)) return { operation: method === "POST" ? "CreateHostedZone" : "ListHostedZones" };
  return { operation: "unknown" };
}

/** Tags in a request (EC2 TagSpecifications, query `Tags.member.N`, JSON `Tags`/`tags`). */
function requestTags(req: AwsRequest): Record<string, string> {
  const tags: Record<string, string> = {};
  const f = req.form;
  if (f) {
    for (const [k, v] of f) {
      const m = /^(TagSpecification\.\d+\.Tag|Tags\.member|Tag)\.(\d+)\.Key$/.exec(k);
      if (m) tags[v] = f.get(k.replace(/Key$/, "Value")) ?? "";
    }
  }
  const j = req.json;
  const list = (j?.Tags ?? j?.tags) as unknown;
  if (Array.isArray(list)) for (const t of list as Json[]) tags[String(t.Key ?? t.key ?? "")] = String(t.Value ?? t.value ?? "");
  else if (list && typeof list === "object") for (const [k, v] of Object.entries(list as Json)) tags[k] = String(v);
  return tags;
}

const EC2_RESOURCE_OF: Record<string, (f: URLSearchParams) => string | undefined> = {
  AuthorizeSecurityGroupIngress: (f) => f.get("GroupId") ?? undefined,
  RevokeSecurityGroupIngress: (f) => f.get("GroupId") ?? undefined,
  AuthorizeSecurityGroupEgress: (f) => f.get("GroupId") ?? undefined,
  RevokeSecurityGroupEgress: (f) => f.get("GroupId") ?? undefined,
  DeleteSecurityGroup: (f) => f.get("GroupId") ?? undefined,
  DeleteNatGateway: (f) => f.get("NatGatewayId") ?? undefined,
  ReleaseAddress: (f) => f.get("AllocationId") ?? undefined,
  CreateRoute: (f) => f.get("RouteTableId") ?? undefined,
  DeleteRoute: (f) => f.get("RouteTableId") ?? undefined,
  ReplaceRoute: (f) => f.get("RouteTableId") ?? undefined,
};
const EC2_TYPE: Record<string, string> = { sg: "security-group", nat: "natgateway", eipalloc: "elastic-ip", rtb: "route-table" };

/**
 * The question IAM asks for this request: which action, on which resource ARNs, with which condition keys.
 * Actions whose resources the console policy does not scope are asked on "*".
 */
export async function questionFor(req: AwsRequest, region: string, moto: MotoClients, method = "POST", path = "/"): Promise<AuthQuestion> {
  const a = ACCOUNT_ID;
  const service = IAM_PREFIX[req.service] ?? req.service;
  let operation = req.operation;
  const context: Context = { "aws:RequestedRegion": region };
  const tags = requestTags(req);
  for (const [k, v] of Object.entries(tags)) context[`aws:RequestTag/${k}`] = v;
  if (Object.keys(tags).length) context["aws:TagKeys"] = Object.keys(tags);
  let resourceContext: Record<string, Context> | undefined;
  const resources: string[] = [];
  const f = req.form;
  const j = req.json ?? {};
  switch (req.service) {
    case "route53": {
      const r = route53Operation(method, path);
      operation = r.operation;
      if (r.resource) resources.push(r.resource);
      break;
    }
    case "ecs": {
      const cluster = str(j.cluster) ?? (operation === "CreateCluster" ? str(j.clusterName) : undefined) ?? "default";
      const clusterName = cluster.includes(":cluster/") ? cluster.slice(cluster.indexOf(":cluster/") + 9) : cluster;
      const clusterArn = `arn:aws:ecs:${region}:${a}:cluster/${clusterName}`;
      context["ecs:cluster"] = clusterArn;
      const service = str(j.serviceName) ?? str(j.service);
      const serviceName = service?.split("/").pop();
      if (["CreateCluster", "DeleteCluster", "UpdateCluster", "DescribeClusters"].includes(operation)) {
        const names = Array.isArray(j.clusters) ? (j.clusters as string[]) : [clusterName];
        for (const n of names) resources.push(n.startsWith("arn:") ? n : `arn:aws:ecs:${region}:${a}:cluster/${n}`);
      } else if (["CreateService", "UpdateService", "DeleteService"].includes(operation) && serviceName) {
        resources.push(`arn:aws:ecs:${region}:${a}:service/${clusterName}/${serviceName}`);
      } else if (operation === "DescribeServices") {
        for (const s of (j.services as string[] | undefined) ?? [])
          resources.push(`arn:aws:ecs:${region}:${a}:service/${clusterName}/${s.split("/").pop() ?? s}`);
      } else if (operation === "StopTask" || operation === "DescribeTasks") {
        const tasks = operation === "StopTask" ? [str(j.task) ?? ""] : ((j.tasks as string[] | undefined) ?? []);
        for (const t of tasks) resources.push(`arn:aws:ecs:${region}:${a}:task/${clusterName}/${t.split("/").pop() ?? t}`);
      } else if (operation === "RunTask") {
        const td = str(j.taskDefinition) ?? "";
        const family = td.includes(":task-definition/") ? td.slice(td.indexOf(":task-definition/") + 17) : td;
        resources.push(`arn:aws:ecs:${region}:${a}:task-definition/${family.includes(":") ? family : `${family}:*`}`);
      } else if (operation === "TagResource") {
        resources.push(str(j.resourceArn) ?? "*");
      }
      break;
    }
    case "elasticloadbalancing": {
      const name = f?.get("Name");
      if (operation === "CreateLoadBalancer" && name)
        resources.push(`arn:aws:elasticloadbalancing:${region}:${a}:loadbalancer/app/${name}/*`);
      else if (operation === "CreateTargetGroup" && name)
        resources.push(`arn:aws:elasticloadbalancing:${region}:${a}:targetgroup/${name}/*`);
      else if (!operation.startsWith("Describe")) {
        for (const key of ["LoadBalancerArn", "TargetGroupArn", "ListenerArn"]) {
          const v = f?.get(key);
          if (v) resources.push(v);
        }
        for (const [k, v] of f ?? []) if (/^ResourceArns\.member\.\d+$/.test(k)) resources.push(v);
      }
      break;
    }
    case "rds": {
      const id = f?.get("DBInstanceIdentifier");
      const subnetGroup = operation.includes("SubnetGroup") ? f?.get("DBSubnetGroupName") : undefined;
      if (subnetGroup && !operation.startsWith("Describe")) resources.push(`arn:aws:rds:${region}:${a}:subgrp:${subnetGroup}`);
      else if (id && !operation.startsWith("Describe")) resources.push(`arn:aws:rds:${region}:${a}:db:${id}`);
      if (operation === "AddTagsToResource") resources.push(f?.get("ResourceName") ?? "*");
      break;
    }
    case "secretsmanager": {
      const id = str(j.SecretId) ?? str(j.Name);
      if (id) resources.push(id.startsWith("arn:") ? id : `arn:aws:secretsmanager:${region}:${a}:secret:${id}`);
      break;
    }
    case "logs": {
      const group = str(j.logGroupName) ?? str(j.logGroupIdentifier);
      const groups = Array.isArray(j.logGroupIdentifiers) ? (j.logGroupIdentifiers as string[]) : group ? [group] : [];
      if (operation !== "DescribeLogGroups")
        for (const g of groups) resources.push(g.startsWith("arn:") ? g.replace(/:\*$/, "") : `arn:aws:logs:${region}:${a}:log-group:${g}`);
      break;
    }
    case "monitoring": {
      if (operation === "PutMetricAlarm" || operation === "DescribeAlarmHistory") {
        const name = str(j.AlarmName) ?? f?.get("AlarmName");
        if (name) resources.push(`arn:aws:cloudwatch:${region}:${a}:alarm:${name}`);
      } else if (operation === "DeleteAlarms") {
        for (const n of (j.AlarmNames as string[] | undefined) ?? []) resources.push(`arn:aws:cloudwatch:${region}:${a}:alarm:${n}`);
      }
      break;
    }
    case "application-autoscaling":
      context["application-autoscaling:service-namespace"] = str(j.ServiceNamespace);
      break;
    case "iam": {
      const role = f?.get("RoleName");
      if (operation === "CreateServiceLinkedRole") {
        context["iam:AWSServiceName"] = f?.get("AWSServiceName") ?? undefined;
        resources.push(`arn:aws:iam::${a}:role/aws-service-role/${f?.get("AWSServiceName") ?? "*"}/*`);
      } else if (role) resources.push(`arn:aws:iam::${a}:role/${role}`);
      break;
    }
    case "acm": {
      const arn = str(j.CertificateArn);
      if (arn) resources.push(arn);
      break;
    }
    case "servicediscovery": {
      const id = str(j.Id) ?? str(j.NamespaceId);
      if (id && operation === "DeleteNamespace") resources.push(`arn:aws:servicediscovery:${region}:${a}:namespace/${id}`);
      break;
    }
    case "ec2": {
      const id = f ? EC2_RESOURCE_OF[operation]?.(f) : undefined;
      if (id) {
        const type = EC2_TYPE[id.split("-")[0] ?? ""] ?? "resource";
        resources.push(`arn:aws:ec2:${region}:${a}:${type}/${id}`);
        Object.assign(context, await resourceTagContext(moto, id));
      } else if (operation === "CreateTags" && f) {
        // Tagging existing resources (not on create: those carry ec2:CreateAction and are asked with their create call):
        // each resource is asked with its own tags (aws:ResourceTag/…), as IAM evaluates each resource of a request.
        resourceContext = {};
        for (const [k, rid] of f) {
          if (!/^ResourceId\.\d+$/.test(k)) continue;
          const arn = `arn:aws:ec2:${region}:${a}:${EC2_TYPE[rid.split("-")[0] ?? ""] ?? "resource"}/${rid}`;
          resources.push(arn);
          resourceContext[arn] = await resourceTagContext(moto, rid);
        }
      } else if (operation === "CreateSecurityGroup") resources.push(`arn:aws:ec2:${region}:${a}:security-group/*`);
      else if (operation === "CreateNatGateway") resources.push(`arn:aws:ec2:${region}:${a}:natgateway/*`);
      else if (operation === "AllocateAddress") resources.push(`arn:aws:ec2:${region}:${a}:elastic-ip/*`);
      break;
    }
  }
  return {
    action: `${service}:${operation}`,
    resources: [...new Set(resources)],
    context,
    ...(resourceContext ? { resourceContext } : {}),
  };
}

/** aws:ResourceTag/… of one EC2 resource, read from moto. */
async function resourceTagContext(moto: MotoClients, id: string): Promise<Context> {
  const tags = await moto.ec2
    .send(new DescribeTagsCommand({ Filters: [{ Name: "resource-id", Values: [id] }] }))
    .then((r) => r.Tags ?? [])
    .catch(() => []);
  const out: Context = {};
  for (const t of tags) if (t.Key) out[`aws:ResourceTag/${t.Key}`] = t.Value ?? "";
  return out;
}

/** A principal whose every request is evaluated against its policies. */
export interface Principal {
  userArn: string;
  policies: PolicyDocument[];
}

/** Access key id in a SigV4 Authorization header. */
export function accessKeyOf(authorization: string | undefined): string | undefined {
  return /Credential=([^/,\s]+)\//.exec(authorization ?? "")?.[1];
}

/** IAM's answer for this request by this principal: undefined when allowed, else the AccessDenied to send. */
export async function authorize(
  p: Principal,
  req: AwsRequest,
  region: string,
  moto: MotoClients,
  method: string,
  path: string,
): Promise<ErrorResponse | undefined> {
  const q = await questionFor(req, region, moto, method, path);
  if (q.action === "sts:GetCallerIdentity") return undefined; // needs no permission (STS API reference)
  for (const question of [q, ...implicitQuestions(req)]) {
    const d = evaluate(p.policies, question);
    if (!d.allowed) return accessDenied(req, p.userArn, question, d.deniedResource, !!d.explicit);
  }
  return undefined;
}

/** Implicit checks IAM makes beside the action itself: passing roles to ECS tasks at RegisterTaskDefinition. */
export function implicitQuestions(req: AwsRequest): AuthQuestion[] {
  if (req.service !== "ecs" || req.operation !== "RegisterTaskDefinition") return [];
  const j = req.json ?? {};
  return [str(j.executionRoleArn), str(j.taskRoleArn)]
    .filter((r): r is string => !!r)
    .map((role) => ({ action: "iam:PassRole", resources: [role], context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } }));
}

/** AWS's words for a refusal, in the service's error shape (EC2: UnauthorizedOperation; JSON APIs: AccessDeniedException). */
export function accessDenied(
  req: AwsRequest,
  userArn: string,
  q: AuthQuestion,
  resource: string | undefined,
  explicit: boolean,
): ErrorResponse {
  const why = explicit
    ? `with an explicit deny in an identity-based policy`
    : `because no identity-based policy allows the ${q.action} action`;
  const message = `User: ${userArn} is not authorized to perform: ${q.action} on resource: ${resource ?? "*"} ${why}`;
  if (req.protocol === "ec2")
    return awsError(req, 403, "UnauthorizedOperation", `You are not authorized to perform this operation. ${message}`);
  if (req.service === "route53") return awsError({ ...req, protocol: "query" }, 403, "AccessDenied", message);
  if (req.protocol === "json") return awsError(req, 400, req.service === "monitoring" ? "AccessDenied" : "AccessDeniedException", message);
  return awsError(req, 403, "AccessDenied", message);
}
