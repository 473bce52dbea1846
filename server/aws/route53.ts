import "server-only";
import {
  ChangeResourceRecordSetsCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type HostedZone,
  type ResourceRecordSet,
} from "@aws-sdk/client-route-53";
import { awsClient } from "./client";
import { aws } from "./errors";

// Thin Route 53 wrappers: the hosted zone that holds the stack's custom domain, and its alias record to the ALB.
// Route 53 is global; the SDK still wants a region for signing.

const r53 = (region: string) => awsClient(Route53Client, region);

export type { ResourceRecordSet };

const bare = (name: string) => name.toLowerCase().replace(/\.$/, "");

/**
 * The hosted zone a name belongs to: the longest zone name that is the name itself or a parent of it; a public zone
 * before a private one of the same name (a private zone answers only inside its VPCs).
 *   aws route53 list-hosted-zones-by-name --dns-name D  (≤ 100 per page, sorted by reversed name; 5 requests/s)
 */
export async function findHostedZone(region: string, domain: string): Promise<HostedZone | undefined> {
  const labels = bare(domain).split(".");
  const candidates = new Set(labels.slice(0, -1).map((_, i) => labels.slice(i).join(".")));
  const zones: HostedZone[] = [];
  let DNSName: string | undefined;
  let HostedZoneId: string | undefined;
  for (let page = 0; page < 20; page++) {
    const out = await aws("route53:ListHostedZonesByName", domain, () =>
      r53(region).send(new ListHostedZonesByNameCommand({ MaxItems: 100, ...(DNSName ? { DNSName, HostedZoneId } : {}) })),
    );
    zones.push(...(out.HostedZones ?? []).filter((z) => candidates.has(bare(z.Name ?? ""))));
    if (!out.IsTruncated) break;
    DNSName = out.NextDNSName;
    HostedZoneId = out.NextHostedZoneId;
  }
  return zones.sort(
    (a, b) => bare(b.Name ?? "").length - bare(a.Name ?? "").length || Number(a.Config?.PrivateZone) - Number(b.Config?.PrivateZone),
  )[0];
}

// aws route53 list-resource-record-sets --hosted-zone-id Z --start-record-name N --start-record-type A --max-items 1
export async function findRecord(
  region: string,
  zoneId: string,
  name: string,
  type: "A" | "CNAME",
): Promise<ResourceRecordSet | undefined> {
  const out = await aws("route53:ListResourceRecordSets", name, () =>
    r53(region).send(
      new ListResourceRecordSetsCommand({ HostedZoneId: zoneId, StartRecordName: name, StartRecordType: type, MaxItems: 1 }),
    ),
  );
  return out.ResourceRecordSets?.find((r) => bare(r.Name ?? "") === bare(name) && r.Type === type);
}

// aws route53 change-resource-record-sets --hosted-zone-id Z --change-batch …  (UPSERT / DELETE; 5 requests/s per
// account; the change is INSYNC on every Route 53 server within about a minute)
export async function changeRecord(region: string, zoneId: string, action: "UPSERT" | "DELETE", record: ResourceRecordSet): Promise<void> {
  await aws("route53:ChangeResourceRecordSets", record.Name ?? zoneId, () =>
    r53(region).send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: { Comment: "Prefect ECS Console", Changes: [{ Action: action, ResourceRecordSet: record }] },
      }),
    ),
  );
}
