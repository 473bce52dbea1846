// The simulator's in-memory picture of the account: what moto cannot hold (task lifecycles, deployments, service
// events, target health, alarm history, resource readiness times, knobs). The physics loop writes it; the AWS
// proxy, the ALB proxy and the Prefect stand-in read it. One process, one World.
import type { Rng } from "./util/prng";
import { mulberry32 } from "./util/prng";

export interface SandboxConfig {
  region: string;
  timeScale: number;
  tickMs: number;
  logLinesPerTaskPerSec: number;
  quiet: boolean;
}

export type TaskPhase = "PROVISIONING" | "PENDING" | "ACTIVATING" | "RUNNING" | "DEACTIVATING" | "STOPPING" | "DEPROVISIONING" | "STOPPED";

export interface ContainerInfo {
  name: string;
  image: string;
  command: string[];
  essential: boolean;
  cpu?: number;
  memory?: number;
  memoryReservation?: number;
  logGroup?: string;
  logStreamPrefix?: string;
  logRegion?: string;
  logCreateGroup: boolean;
  portMappings: { containerPort: number }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  hasHealthCheck: boolean;
}

export interface TaskDefInfo {
  arn: string;
  family: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  cpu: string;
  memory: string;
  containers: ContainerInfo[];
}

/** awsvpc network configuration of a task (RunTask / the service's networkConfiguration). */
export interface TaskNetwork {
  subnets: string[];
  securityGroups: string[];
  assignPublicIp: boolean;
}

/** Why ECS could not start a task (see physics/task-start.ts): it stops at `at` with this code and reason. */
export interface StartFailure {
  at: number;
  stopCode: "TaskFailedToStart";
  reason: string;
}

/** Whether a worker task reaches its PREFECT_API_URL (physics/reachability.ts), checked every tick while it runs. */
export interface ApiReach {
  reachable: boolean;
  /** The error Prefect logs when it is not (httpx's ConnectError / ConnectTimeout / SSL text). */
  error?: string;
  checkedAt: number;
  /** Last time a heartbeat got through (undefined: never registered with the server). */
  lastOkAt?: number;
  /** checkedAt of the last check whose error was written to the worker's log. */
  loggedAt?: number;
}

export interface SimTask {
  arn: string;
  id: string;
  clusterArn: string;
  clusterName: string;
  serviceName?: string;
  group?: string;
  startedBy?: string;
  deploymentId?: string;
  td: TaskDefInfo;
  subnetId: string;
  network: TaskNetwork;
  az: string;
  ip: string;
  /** The VPC of subnetId. */
  vpcId?: string;
  /** Set when ECS would not start this task: it stops before RUNNING. */
  startFailure?: StartFailure;
  /** Worker tasks: can they reach the Prefect API? */
  api?: ApiReach;
  /** Cloud Map services this task is registered in (service ids). */
  cloudMapServiceIds?: string[];
  eniId: string;
  mac: string;
  /** Real epoch ms of each milestone; future ones are plans. */
  createdAt: number;
  pendingAt: number;
  runningAt: number;
  startedAt?: number;
  phase: TaskPhase;
  desiredStatus: "RUNNING" | "STOPPED";
  /** The container command cannot work (e.g. not `prefect …`): the task exits soon after starting. */
  failing: boolean;
  failAt?: number;
  stoppingAt?: number;
  deactivatedAt?: number;
  stoppingUntil?: number;
  stoppedAt?: number;
  stoppedReason?: string;
  stopCode?: string;
  exitCode?: number;
  /** Fractional log lines owed to this task (rate × elapsed). */
  logCarry: number;
  bannerWritten: boolean;
  shutdownWritten?: boolean;
  streamReady: boolean;
  /** The Prefect server stand-in tried its database login (sandbox/prefect/database.ts). */
  dbChecked?: boolean;
  /** The database it logged in to: its work pools live there. */
  db?: DatabaseTarget;
  /** What the container printed before exiting, when it is not the generic crash (e.g. a database login error). */
  crashLog?: string[];
}

/** A database a Prefect server task logged in to: the RDS instance and the names inside it. */
export interface DatabaseTarget {
  instanceId: string;
  user: string;
  password: string;
  database: string;
}

export type RolloutState = "IN_PROGRESS" | "COMPLETED" | "FAILED";

export interface SimDeployment {
  id: string;
  status: "PRIMARY" | "ACTIVE";
  taskDefinition: string;
  createdAt: number;
  updatedAt: number;
  failedTasks: number;
  rolloutState: RolloutState;
  rolloutStateReason: string;
}

export interface ServiceEvent {
  id: string;
  createdAt: number;
  message: string;
}

export interface LbBinding {
  targetGroupArn: string;
  containerName: string;
  containerPort: number;
}

export interface SimService {
  key: string; // `${clusterName}/${serviceName}`
  arn: string;
  name: string;
  clusterArn: string;
  clusterName: string;
  desiredCount: number;
  taskDefinition: string;
  networkConfiguration: unknown;
  launchType: string;
  loadBalancers: LbBinding[];
  /** Cloud Map service ARNs (serviceRegistries[].registryArn): running tasks are registered there. */
  serviceRegistries: string[];
  deployments: SimDeployment[];
  events: ServiceEvent[];
  steady: boolean;
  lastCompletedTaskDef?: string;
  /** Earliest time the scheduler may launch again (backs off while tasks keep failing). */
  nextLaunchAt: number;
}

/** What the product asked for at CreateService/UpdateService: moto drops the circuit breaker. */
export interface RequestedDeploymentConfig {
  circuitBreaker?: { enable: boolean; rollback: boolean };
  maximumPercent?: number;
  minimumHealthyPercent?: number;
}

export type TargetState = "initial" | "healthy" | "unhealthy" | "draining" | "unused";

export interface SimTarget {
  targetGroupArn: string;
  id: string;
  port: number;
  taskArn: string;
  serviceKey: string;
  state: TargetState;
  registeredAt: number;
  drainingUntil?: number;
}

export interface TargetGroupInfo {
  arn: string;
  name: string;
  healthCheckPath: string;
  intervalSec: number;
  healthyThreshold: number;
  deregDelaySec: number;
  loadBalancerArns: string[];
}

export interface RdsModification {
  requestedAt: number;
  /** null = waits for the maintenance window (ApplyImmediately=false): see POST /rds/maintenance. */
  applyAt: number | null;
  /** element name → new value (PendingModifiedValues) */
  pending: Record<string, string>;
  /** element name → value before the change (shown until applied) */
  old: Record<string, string>;
}

export interface RdsLife {
  createdAt?: number;
  modification?: RdsModification;
  rebootUntil?: number;
  deleting?: { until: number; xml: string };
}

export interface AlarmHistoryItem {
  AlarmName: string;
  AlarmType: "MetricAlarm" | "CompositeAlarm";
  Timestamp: number; // epoch ms
  HistoryItemType: "ConfigurationUpdate" | "StateUpdate" | "Action";
  HistorySummary: string;
  HistoryData: string;
}

/** One Application Auto Scaling activity (DescribeScalingActivities' ScalingActivity), times in epoch ms. */
export interface ScalingActivityRecord {
  ActivityId: string;
  ServiceNamespace: "ecs";
  ResourceId: string;
  ScalableDimension: "ecs:service:DesiredCount";
  Description: string;
  Cause: string;
  StartTime: number;
  EndTime: number;
  StatusCode: "Successful" | "Failed";
  StatusMessage: string;
}

export interface WorkPoolRecord {
  id: string;
  created: string;
  updated: string;
  name: string;
  description: string | null;
  type: string;
  base_job_template: Record<string, unknown>;
  is_paused: boolean;
  concurrency_limit: number | null;
  default_queue_id: string;
}

/** Log events that just reached CloudWatch (the simulator's writes and PutLogEvents through the proxy). */
export interface LogWrite {
  group: string;
  stream: string;
  events: { timestamp: number; message: string }[];
  ingestedAt: number;
}

export class World {
  readonly startedAt = Date.now();
  readonly rng: Rng;
  services = new Map<string, SimService>();
  tasks = new Map<string, SimTask>();
  targets = new Map<string, SimTarget>();
  targetGroups = new Map<string, TargetGroupInfo>();
  requestedConfig = new Map<string, RequestedDeploymentConfig>();
  /** Services the product force-redeployed (seen at the proxy), consumed by the next tick. */
  forceDeploy = new Set<string>();
  rds = new Map<string, RdsLife>();
  lbCreatedAt = new Map<string, number>();
  /** Security groups of each task's ENI (from its service's or RunTask's awsvpcConfiguration). */
  taskSecurityGroups = new Map<string, string[]>();
  alarmHistory: AlarmHistoryItem[] = [];
  /** Scaling activities of the target-tracking policies the simulator executes, newest first. */
  scalingActivities: ScalingActivityRecord[] = [];
  cpuOverride = new Map<string, number>();
  /** Work pools of Prefect servers on their default SQLite, per server task ARN (PostgreSQL ones live in their database). */
  workPools = new Map<string, Map<string, WorkPoolRecord>>();
  /** Until then a product RunTask is in flight: its tasks are adopted by the proxy (which knows their network). */
  runTaskInFlightUntil = 0;
  /** Cloud Map private DNS namespaces and the VPC each was created in (seen at the AWS proxy). */
  privateNamespaces: { name: string; vpcId: string }[] = [];
  /** ALB data-plane counters per load balancer ARN since the last metrics flush. */
  albCounters = new Map<string, { requests: number; target5xx: number; elb5xx: number; latencySum: number }>();
  /** Who hears about log writes (the AWS proxy's Live Tail sessions). */
  readonly logListeners = new Set<(w: LogWrite) => void>();
  lastTickAt = 0;
  lastTickMs = 0;
  /** How long each step of the last tick took (ms): where a slow tick spends its time. */
  lastTickSteps: Record<string, number> = {};
  tickCount = 0;
  lastTickError?: string;

  constructor(
    public config: SandboxConfig,
    seed = 42,
  ) {
    this.rng = mulberry32(seed);
  }

  /** AWS seconds → real milliseconds at the current time scale. */
  scaled(awsSeconds: number): number {
    return (awsSeconds * 1000) / this.config.timeScale;
  }

  tasksOfService(key: string): SimTask[] {
    return [...this.tasks.values()].filter((t) => t.serviceName !== undefined && `${t.clusterName}/${t.serviceName}` === key);
  }

  logsWritten(w: LogWrite): void {
    for (const l of this.logListeners) l(w);
  }

  log(msg: string): void {
    if (!this.config.quiet) process.stdout.write(`[sandbox] ${msg}\n`);
  }
}

export const targetKey = (tgArn: string, id: string, port: number) => `${tgArn}|${id}|${port}`;

export function clusterNameOf(clusterOrArn: string | undefined): string {
  if (!clusterOrArn) return "default";
  const i = clusterOrArn.indexOf(":cluster/");
  return i >= 0 ? clusterOrArn.slice(i + ":cluster/".length) : clusterOrArn;
}

export function serviceNameOf(serviceOrArn: string): string {
  const parts = serviceOrArn.split("/");
  return parts[parts.length - 1] ?? serviceOrArn;
}

export function taskIdOf(taskArn: string): string {
  const parts = taskArn.split("/");
  return parts[parts.length - 1] ?? taskArn;
}
