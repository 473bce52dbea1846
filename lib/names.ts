// Isomorphic: the seed's deterministic names and tags (../shared/seed/ecs-production-guide.txt), so a stack made
// by the seed's Terraform can be adopted, and every resource can be found by name and tag, never only by ARN.

export const STACK_TAG = "prefect-console:stack";

export function stackNames(env: string) {
  return {
    cluster: `prefect-${env}`,
    serverService: "prefect-server",
    workerService: "prefect-worker",
    serverTaskFamily: `prefect-server-${env}`,
    workerTaskFamily: `prefect-worker-${env}`,
    serverContainer: "prefect-server",
    workerContainer: "prefect-worker",
    logGroup: `/ecs/prefect-${env}`,
    serverLogPrefix: "server",
    workerLogPrefix: "worker",
    dbInstance: `prefect-${env}`,
    dbSubnetGroup: `prefect-${env}`,
    dbSecurityGroup: `prefect-rds-${env}`,
    dbSecret: `prefect/rds-password`,
    tasksSecurityGroup: `prefect-ecs-tasks-${env}`,
    albSecurityGroup: `prefect-alb-${env}`,
    alb: `prefect-${env}`,
    targetGroup: `prefect-${env}`,
    executionRole: `prefect-ecs-execution-${env}`,
    /** The seed's task role; the Prefect server's, with no permissions (the server calls no AWS API). */
    taskRole: `prefect-ecs-task-${env}`,
    /** The worker's task role: runs flow-run tasks in this cluster, passes only the two flow-run roles. */
    workerRole: `prefect-ecs-worker-${env}`,
    /** Flow-run tasks' execution role: pull the image, write logs under the `flow-runs` prefix; no stack secrets. */
    flowRunExecutionRole: `prefect-flow-execution-${env}`,
    /** Flow-run tasks' task role: empty, for the user to extend (S3, …). */
    flowRunTaskRole: `prefect-flow-task-${env}`,
    flowRunLogPrefix: "flow-runs",
    cpuAlarm: `prefect-high-cpu-${env}`,
    /** Cloud Map private DNS namespace in the stack's VPC, and the service the server tasks register in. */
    discoveryNamespace: `prefect-${env}.local`,
    discoveryService: "prefect-server",
  };
}

export type StackNames = ReturnType<typeof stackNames>;

/** The seed's tags plus ours. */
export function stackTags(env: string, component: string): Record<string, string> {
  return { Project: "prefect", ManagedBy: "prefect-ecs-console", Component: component, Environment: env, [STACK_TAG]: env };
}

/**
 * Environment names: lower-case letters, digits and hyphens, 2–20 long, no "--" and no trailing hyphen (fits every
 * AWS name the stack derives; RDS refuses identifiers with "--" or ending in "-").
 */
export const ENV_NAME_PATTERN = /^(?!.*--)[a-z][a-z0-9-]{0,18}[a-z0-9]$/;
