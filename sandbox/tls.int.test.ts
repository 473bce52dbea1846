// Issue 10 item 5: TLS like ACM, and custom names through Route 53 (sandbox/README.md, rule table).
import { afterEach, describe, expect, it } from "vitest";
import fs from "node:fs";
import { ProxyAgent, request } from "undici";
import { CreateListenerCommand, DescribeLoadBalancersCommand } from "@aws-sdk/client-elastic-load-balancing-v2";
import { ChangeResourceRecordSetsCommand, Route53Client } from "@aws-sdk/client-route-53";
import { adminConfig, sandboxClients, sandboxEnv } from "@/test/fixtures/sandbox";
import { cleanupStacks, minimalStack } from "@/test/fixtures/stack";
import { until } from "@/test/until";

describe("TLS like ACM, custom names like Route 53", () => {
  afterEach(cleanupStacks);
  const c = sandboxClients();
  const route53 = new Route53Client(adminConfig());
  const tlsAgent = new ProxyAgent({
    uri: sandboxEnv("HTTP_PROXY"),
    requestTls: { ca: fs.readFileSync(sandboxEnv("NODE_EXTRA_CA_CERTS")) },
  });
  const health = async (url: string) => {
    const r = await request(url, { dispatcher: tlsAgent });
    return { status: r.statusCode, text: await r.body.text() };
  };

  it("HTTPS presents the listener certificate's names only: the ALB's own name fails verification, an alias the certificate covers works", async () => {
    const s = await minimalStack(c);
    await c.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: s.loadBalancerArn,
        Port: 443,
        Protocol: "HTTPS",
        Certificates: [{ CertificateArn: sandboxEnv("SANDBOX_WILDCARD_CERT_ARN") }],
        DefaultActions: [{ Type: "forward", TargetGroupArn: s.targetGroupArn }],
      }),
    );
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    const name = `${s.env}.${sandboxEnv("SANDBOX_DOMAIN")}`;

    // No record yet: the name does not resolve (as a forward proxy reports an unresolvable host).
    await expect(health(`https://${name}/api/health`)).rejects.toThrow(/502/);

    const lb = (await c.elb.send(new DescribeLoadBalancersCommand({ LoadBalancerArns: [s.loadBalancerArn] }))).LoadBalancers?.[0];
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: sandboxEnv("SANDBOX_HOSTED_ZONE_ID"),
        ChangeBatch: {
          Changes: [
            {
              Action: "UPSERT",
              ResourceRecordSet: {
                Name: name,
                Type: "A",
                AliasTarget: {
                  HostedZoneId: lb?.CanonicalHostedZoneId ?? "Z35SXDOTRQ7X7K",
                  DNSName: `dualstack.${s.dnsName}`,
                  EvaluateTargetHealth: true,
                },
              },
            },
          ],
        },
      }),
    );
    const ok = await until("https health through the alias", async () => {
      const x = await health(`https://${name}/api/health`);
      return x.status === 200 ? x : undefined;
    });
    expect(ok.text).toBe("true");

    // The ALB's own name: ACM never issues *.elb.amazonaws.com, so hostname verification fails.
    await expect(health(`https://${s.dnsName}/api/health`)).rejects.toThrow(/altnames|ERR_TLS_CERT_ALTNAME_INVALID/);
  });

  it("a name the listener's certificate does not cover fails verification even with a record", async () => {
    const s = await minimalStack(c);
    await c.elb.send(
      new CreateListenerCommand({
        LoadBalancerArn: s.loadBalancerArn,
        Port: 443,
        Protocol: "HTTPS",
        Certificates: [{ CertificateArn: sandboxEnv("SANDBOX_CERT_ARN") }], // prefect.sandbox.example.com only
        DefaultActions: [{ Type: "forward", TargetGroupArn: s.targetGroupArn }],
      }),
    );
    await s.createService("prefect-server", s.serverTaskDef, 1, { lb: true });
    const name = `other-${s.env}.${sandboxEnv("SANDBOX_DOMAIN")}`;
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: sandboxEnv("SANDBOX_HOSTED_ZONE_ID"),
        ChangeBatch: {
          Changes: [
            { Action: "UPSERT", ResourceRecordSet: { Name: name, Type: "CNAME", TTL: 60, ResourceRecords: [{ Value: s.dnsName }] } },
          ],
        },
      }),
    );
    // Plain HTTP through the CNAME reaches the same ALB (the record resolves) …
    await until("http through the CNAME", async () => {
      const r = await request(`http://${name}/api/health`, { dispatcher: tlsAgent });
      return r.statusCode === 200 && (await r.body.text()) === "true";
    });
    // … but the certificate is for prefect.sandbox.example.com only.
    await expect(health(`https://${name}/api/health`)).rejects.toThrow(/altnames|ERR_TLS_CERT_ALTNAME_INVALID/);
  });
});
