// SDK clients the sandbox itself uses. They talk to moto directly (never through the fault proxy), so injected
// faults only hit the product, and the simulator's own calls are not counted as product calls.
import http from "node:http";
import { NodeHttpHandler } from "@smithy/node-http-handler";
import { ACMClient } from "@aws-sdk/client-acm";
import { ApplicationAutoScalingClient } from "@aws-sdk/client-application-auto-scaling";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { ECSClient } from "@aws-sdk/client-ecs";
import { ElasticLoadBalancingV2Client } from "@aws-sdk/client-elastic-load-balancing-v2";
import { IAMClient } from "@aws-sdk/client-iam";
import { RDSClient } from "@aws-sdk/client-rds";
import { Route53Client } from "@aws-sdk/client-route-53";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ServiceDiscoveryClient } from "@aws-sdk/client-servicediscovery";
import { SSMClient } from "@aws-sdk/client-ssm";

export interface MotoClients {
  acm: ACMClient;
  aas: ApplicationAutoScalingClient;
  cw: CloudWatchClient;
  logs: CloudWatchLogsClient;
  ec2: EC2Client;
  ecs: ECSClient;
  elb: ElasticLoadBalancingV2Client;
  iam: IAMClient;
  rds: RDSClient;
  route53: Route53Client;
  sd: ServiceDiscoveryClient;
  sm: SecretsManagerClient;
  ssm: SSMClient;
  destroy(): void;
}

export function motoClients(endpoint: string, region: string): MotoClients {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  const cfg = {
    endpoint,
    region,
    credentials: { accessKeyId: "test", secretAccessKey: "test" },
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ httpAgent: agent, connectionTimeout: 5_000, requestTimeout: 30_000 }),
  };
  const c = {
    acm: new ACMClient(cfg),
    aas: new ApplicationAutoScalingClient(cfg),
    cw: new CloudWatchClient(cfg),
    logs: new CloudWatchLogsClient(cfg),
    ec2: new EC2Client(cfg),
    ecs: new ECSClient(cfg),
    elb: new ElasticLoadBalancingV2Client(cfg),
    iam: new IAMClient(cfg),
    rds: new RDSClient(cfg),
    route53: new Route53Client(cfg),
    sd: new ServiceDiscoveryClient(cfg),
    sm: new SecretsManagerClient(cfg),
    ssm: new SSMClient(cfg),
  };
  return {
    ...c,
    destroy() {
      for (const client of Object.values(c)) client.destroy();
      agent.destroy();
    },
  };
}
