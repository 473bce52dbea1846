// The operations dashboard's own types (DTOs): plain, serialisable objects built from AWS and Prefect answers on the
// server (server/ops/snapshot.ts) and sent to the browser. No @aws-sdk type ever crosses this line; client
// components import these types from here, never from server/.

/** One panel's data, or what failed while fetching it. A failing call never blanks the other panels. */
export type Panel<T> = { ok: true; data: T } | { ok: false; error: string };

export type ServiceRole = "server" | "worker";

export interface DeploymentDto {
  id: string;
  status: string; // PRIMARY | ACTIVE | INACTIVE
  rolloutState: string | null; // IN_PROGRESS | COMPLETED | FAILED
  rolloutStateReason: string | null;
  taskDefinition: string; // family:revision
  revision: number | null;
  desired: number;
  running: number;
  pending: number;
  failedTasks: number;
  createdAt: number | null;
  updatedAt: number | null;
}

export interface ServiceEventDto {
  id: string;
  at: number;
  message: string;
}

export interface ServiceDto {
  role: ServiceRole;
  name: string;
  status: string; // ACTIVE | DRAINING | missing
  desired: number;
  running: number;
  pending: number;
  taskDefinition: string | null; // family:revision
  revision: number | null;
  cpu: string | null; // task-level CPU units, e.g. "512"
  memory: string | null; // MiB
  deployments: DeploymentDto[];
  events: ServiceEventDto[];
  /** Exactly one deployment, COMPLETED (or no rollout state), running == desired. */
  steady: boolean;
  targetGroupArn: string | null;
  /** Prefect version of the running task definition's image tag (null for a floating tag). */
  prefectVersion?: string | null;
  /** prefect-aws pinned in the worker's EXTRA_PIP_PACKAGES (worker only). */
  prefectAwsVersion?: string | null;
}

export interface TaskDto {
  id: string;
  arn: string;
  service: string | null; // from group "service:<name>"
  lastStatus: string;
  desiredStatus: string;
  health: string | null; // HEALTHY | UNHEALTHY | UNKNOWN
  az: string | null;
  ip: string | null;
  taskDefinition: string | null;
  revision: number | null;
  startedAt: number | null;
  createdAt: number | null;
  stoppedAt: number | null;
  stoppedReason: string | null;
  stopCode: string | null;
  exitCode: number | null;
}

export interface ScalingDto {
  service: string;
  min: number;
  max: number;
  suspended: boolean;
  /** The target-tracking policy's target, e.g. 70 (% CPU), and its metric; null without a policy. */
  targetValue: number | null;
  targetMetric: string | null;
}

export interface TargetDto {
  id: string; // IP for target_type=ip
  port: number | null;
  state: string; // initial | healthy | unhealthy | unused | draining | unavailable
  reason: string | null;
  description: string | null;
}

export interface LoadBalancerDto {
  name: string;
  dnsName: string;
  scheme: string; // internet-facing | internal
  state: string; // provisioning | active | failed
  /** http or https, from the listeners (HTTP:80 forward → http; else HTTPS:443 → https). */
  protocol: "http" | "https";
  apiUrl: string;
  uiUrl: string;
  /** The CloudWatch dimension value, `app/<name>/<id>`. */
  dimension: string | null;
  /** The stack's custom domain (the URLs use it) and whether it points at the load balancer yet. */
  domain?: DomainDto;
}

export interface DomainDto {
  name: string;
  /** "ready": the name points at the load balancer; "waiting": waiting for DNS (the record below is missing). */
  state: "ready" | "waiting";
  /** Who owns the record: the stack (a Route 53 alias) or the user (another DNS provider). */
  managedBy: "route53" | "you";
  /** The exact record to create when it is the user's to create. */
  record: string;
}

export interface DatabaseDto {
  id: string;
  status: string;
  instanceClass: string;
  engine: string;
  engineVersion: string;
  allocatedGiB: number;
  maxAllocatedGiB: number | null;
  /** From FreeStorageSpace (GetMetricData, same snapshot); null until CloudWatch has a datapoint. */
  usedGiB: number | null;
  multiAz: boolean;
  backupWindow: string | null;
  backupRetentionDays: number | null;
  latestRestorableAt: number | null;
  endpoint: string | null; // host:port
  pendingModifications: Record<string, string>;
}

export interface AlarmDto {
  name: string;
  state: string; // OK | ALARM | INSUFFICIENT_DATA
  reason: string | null;
  since: number | null;
  metric: string | null; // namespace/metric
  namespace: string | null;
  metricName: string | null;
  threshold: number | null;
  comparison: string | null;
  dimensions: Record<string, string>;
  /** Which chart on the metrics page shows the alarm's metric. */
  chart: string | null;
}

export interface MetricPoint {
  t: number;
  v: number;
}

export interface MetricSeriesDto {
  id: string; // e.g. server_cpu
  label: string;
  unit: string; // Percent | Count | Seconds | Bytes
  points: MetricPoint[];
  latest: number | null;
}

export interface PrefectPoolDto {
  name: string;
  type: string;
  status: string; // READY | NOT_READY | PAUSED
  workers: { name: string; status: string; lastHeartbeat: number | null }[] | null;
  workersError: string | null;
}

export interface PrefectDto {
  apiUrl: string | null;
  /** Why Prefect could not be reached, with advice; null when reachable (or not yet asked). */
  unreachable: string | null;
  health: Panel<boolean>;
  ready: Panel<boolean>;
  version: Panel<string>;
  pools: Panel<PrefectPoolDto[]>;
  flowRuns: Panel<{ running: number; late: number; failed24h: number }>;
}

export interface RunInProgressDto {
  id: string;
  kind: string;
  status: string;
}

export interface StackSnapshot {
  env: string;
  region: string;
  stackStatus: string;
  adopted: boolean;
  takenAt: number;
  durationMs: number;
  cluster: string;
  loadBalancer: Panel<LoadBalancerDto | null>;
  services: Panel<ServiceDto[]>;
  tasks: Panel<TaskDto[]>;
  scaling: Panel<ScalingDto[]>;
  targets: Panel<TargetDto[]>;
  database: Panel<DatabaseDto | null>;
  alarms: Panel<AlarmDto[]>;
  metrics: Panel<MetricSeriesDto[]>;
  prefect: PrefectDto;
  runInProgress: RunInProgressDto | null;
}

/** What a snapshot knows before any AWS call answers (the stack's registry row and names). */
export type StackSnapshotHead = Pick<StackSnapshot, "env" | "region" | "stackStatus" | "adopted" | "takenAt" | "cluster">;
type SnapshotPanelValues = Omit<StackSnapshot, keyof StackSnapshotHead | "durationMs">;
/** One promise per panel, each resolving (never rejecting) with the panel's data or its error: the streamed page. */
export type StackSnapshotPanels = { [K in keyof SnapshotPanelValues]: Promise<SnapshotPanelValues[K]> };
