// How long things take on AWS, in AWS seconds. The simulator divides them by the time scale (World.scaled).
export const AWS_SECONDS = {
  taskProvisioning: 15, // ENI attach, placement
  taskPending: 35, // image pull + container start → RUNNING ≈ 50 s after RunTask, "about a minute"
  crashAfterRunning: 8, // a broken command exits a few seconds after the container starts
  deactivatingNoLb: 3,
  stopping: 10, // SIGTERM → exit
  deprovisioning: 10,
  eniRelease: 60, // a stopped Fargate task's ENI (and its security groups) lingers about a minute
  relaunchBackoff: 15, // the scheduler slows relaunches of crashing tasks
  stoppedTaskRetention: 3600, // DescribeTasks still shows STOPPED tasks for about an hour
  rdsCreate: 360,
  rdsModify: 240,
  rdsReboot: 60,
  rdsDelete: 180,
  albProvision: 180,
  metricPeriod: 60,
  workerHeartbeat: 30,
  tcpConnectTimeout: 130, // a SYN nobody answers: Linux gives up after ~2 min (an internal ALB seen from outside its VPC)
  iamPropagation: 10, // a new role may not be assumable for a few seconds (IAM is eventually consistent)
  assumeRole: 2, // a role ECS cannot assume stops the task while it is provisioning
  secretsFetch: 5, // access denied / not found come back from the first secrets call
  ecsGiveUp: 150, // network timeouts: ECS retries the pull / secret fetch for a couple of minutes before stopping the task
} as const;
