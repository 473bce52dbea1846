import "server-only";
import {
  CreatePrivateDnsNamespaceCommand,
  CreateServiceCommand,
  DeleteNamespaceCommand,
  DeleteServiceCommand,
  GetOperationCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  ServiceDiscoveryClient,
  type NamespaceSummary,
  type Operation,
  type ServiceSummary,
} from "@aws-sdk/client-servicediscovery";
import { awsClient } from "./client";
import { aws, classifyAwsError } from "./errors";

// Thin AWS Cloud Map wrappers: the stack's private DNS namespace (prefect-<env>.local) and its `prefect-server`
// service, through which the worker reaches the server inside the VPC (ECS registers the server tasks' IPs).

const sd = (region: string) => awsClient(ServiceDiscoveryClient, region);

export type { NamespaceSummary, ServiceSummary };

const tagList = (tags: Record<string, string>) => Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));

// aws servicediscovery list-namespaces --filters Name=TYPE,Values=DNS_PRIVATE  (≤ 100 per page)
// Filtered by name here as well: the NAME filter is recent and not every endpoint honours it.
export async function findPrivateNamespace(region: string, name: string): Promise<NamespaceSummary | undefined> {
  let NextToken: string | undefined;
  do {
    const out = await aws("servicediscovery:ListNamespaces", name, () =>
      sd(region).send(
        new ListNamespacesCommand({ Filters: [{ Name: "TYPE", Values: ["DNS_PRIVATE"], Condition: "EQ" }], MaxResults: 100, NextToken }),
      ),
    );
    const hit = out.Namespaces?.find((n) => n.Name === name && n.Type === "DNS_PRIVATE");
    if (hit) return hit;
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

// aws servicediscovery create-private-dns-namespace --name N --vpc V --tags …  (asynchronous: returns an operation id;
// a private hosted zone is created with it; ≤ 50 namespaces per account by default)
export async function createPrivateNamespace(
  region: string,
  input: { name: string; vpcId: string; description: string; tags: Record<string, string>; requestId: string },
): Promise<string> {
  const out = await aws("servicediscovery:CreatePrivateDnsNamespace", input.name, () =>
    sd(region).send(
      new CreatePrivateDnsNamespaceCommand({
        Name: input.name,
        Vpc: input.vpcId,
        Description: input.description,
        CreatorRequestId: input.requestId,
        Tags: tagList(input.tags),
      }),
    ),
  );
  if (!out.OperationId) throw new Error(`create namespace ${input.name}: no operation id returned`);
  return out.OperationId;
}

// aws servicediscovery delete-namespace --id NS  (asynchronous; ResourceInUse while it still has services)
export async function deleteNamespace(region: string, id: string, name: string): Promise<string | undefined> {
  try {
    return (await sd(region).send(new DeleteNamespaceCommand({ Id: id }))).OperationId;
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return undefined;
    return aws("servicediscovery:DeleteNamespace", name, () => Promise.reject(err));
  }
}

// aws servicediscovery get-operation --operation-id OP  (status SUBMITTED → PENDING → SUCCESS | FAIL)
export async function getOperation(region: string, id: string, target: string): Promise<Operation | undefined> {
  const out = await aws("servicediscovery:GetOperation", target, () => sd(region).send(new GetOperationCommand({ OperationId: id })));
  return out.Operation;
}

// aws servicediscovery list-services --filters Name=NAMESPACE_ID,Values=NS  (≤ 100 per page)
export async function findService(region: string, namespaceId: string, name: string): Promise<ServiceSummary | undefined> {
  let NextToken: string | undefined;
  do {
    const out = await aws("servicediscovery:ListServices", name, () =>
      sd(region).send(
        new ListServicesCommand({
          Filters: [{ Name: "NAMESPACE_ID", Values: [namespaceId], Condition: "EQ" }],
          MaxResults: 100,
          NextToken,
        }),
      ),
    );
    // Some endpoints ignore the filter: match the namespace through the DNS config too.
    const hit = out.Services?.find((s) => s.Name === name && (s.DnsConfig?.NamespaceId ?? namespaceId) === namespaceId);
    if (hit) return hit;
    NextToken = out.NextToken;
  } while (NextToken);
  return undefined;
}

// aws servicediscovery create-service --name N --namespace-id NS --dns-config … --health-check-custom-config …
export async function createDiscoveryService(
  region: string,
  input: { name: string; namespaceId: string; ttl: number; tags: Record<string, string>; requestId: string },
): Promise<void> {
  await aws("servicediscovery:CreateService", input.name, () =>
    sd(region).send(
      new CreateServiceCommand({
        Name: input.name,
        NamespaceId: input.namespaceId,
        CreatorRequestId: input.requestId,
        Description: "Prefect API server tasks (registered by ECS)",
        DnsConfig: { RoutingPolicy: "MULTIVALUE", DnsRecords: [{ Type: "A", TTL: input.ttl }] },
        // ECS reports each task's health to Cloud Map: a task failing its container health check leaves DNS.
        HealthCheckCustomConfig: { FailureThreshold: 1 },
        Tags: tagList(input.tags),
      }),
    ),
  );
}

// aws servicediscovery delete-service --id S  (ResourceInUse while instances are registered: ECS deregisters them
// as the service's tasks stop)
export async function deleteDiscoveryService(region: string, id: string, name: string): Promise<void> {
  try {
    await sd(region).send(new DeleteServiceCommand({ Id: id }));
  } catch (err) {
    if (classifyAwsError(err).kind === "not-found") return;
    await aws("servicediscovery:DeleteService", name, () => Promise.reject(err));
  }
}
