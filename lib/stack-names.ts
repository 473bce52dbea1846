// Isomorphic: names the console adds beyond the seed's (lib/names.ts), so every page and the engine agree.
import { stackNames } from "./names";
//
// Secrets are per environment: the seed's single `prefect/rds-password` would collide as soon as a second
// environment (staging next to production) is created in the same account and region, so the console uses
// `prefect/<env>/…`. Adopting a seed-made stack keeps the seed's secret untouched and creates the per-env ones.

export function stackSecretNames(env: string) {
  return {
    dbPassword: `prefect/${env}/rds-password`,
    /** The full SQLAlchemy URL the server reads through ECS `secrets` (PREFECT_API_DATABASE_CONNECTION_URL). */
    dbUrl: `prefect/${env}/database-url`,
    /** `admin:<password>` for PREFECT_SERVER_API_AUTH_STRING (optional basic auth). */
    apiAuth: `prefect/${env}/api-auth`,
  };
}

/** Every alarm the stack creates; the first is the seed's. */
export function stackAlarmNames(env: string) {
  return {
    serverCpu: `prefect-high-cpu-${env}`,
    serverMemory: `prefect-server-memory-${env}`,
    workerCpu: `prefect-worker-cpu-${env}`,
    workerMemory: `prefect-worker-memory-${env}`,
    alb5xx: `prefect-alb-5xx-${env}`,
    unhealthyHosts: `prefect-unhealthy-hosts-${env}`,
    rdsCpu: `prefect-rds-cpu-${env}`,
    rdsStorage: `prefect-rds-free-storage-${env}`,
  };
}

export const workerScalingPolicyName = (env: string) => `prefect-worker-cpu-tracking-${env}`;
export const finalSnapshotName = (env: string) => `prefect-${env}-final`;

/** The URLs the stack serves, from a host name (the custom domain or the load balancer's DNS name). */
export function prefectUrls(host: string, https: boolean) {
  const ui = `${https ? "https" : "http"}://${host}`;
  return { ui, api: `${ui}/api` };
}

/**
 * The URLs people use (PREFECT_UI_API_URL, the API URL shown, the export line): the custom domain when the spec has
 * one — with a certificate it must be, since no certificate covers the load balancer's own name — else the ALB's.
 */
export function stackUrls(spec: { domainName?: string | undefined; certificateArn?: string | undefined }, albDnsName: string) {
  return prefectUrls(spec.domainName ?? albDnsName, Boolean(spec.certificateArn));
}

/** Port the Prefect server listens on inside its task (target group, security groups, Cloud Map). */
export const PREFECT_PORT = 4200;

/**
 * The worker's PREFECT_API_URL: the server's Cloud Map name inside the VPC, not the load balancer. It works in every
 * topology (internal or internet-facing ALB, HTTP or HTTPS) without the tasks' traffic leaving the VPC.
 */
export function workerApiUrl(env: string): string {
  const n = stackNames(env);
  return `http://${n.discoveryService}.${n.discoveryNamespace}:${PREFECT_PORT}/api`;
}
