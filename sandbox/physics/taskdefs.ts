// Task definitions are immutable per ARN: fetch each once and keep what the simulator needs.
import { DescribeTaskDefinitionCommand, type ECSClient, type TaskDefinition } from "@aws-sdk/client-ecs";
import type { TaskDefInfo } from "../world";

export class TaskDefCache {
  private cache = new Map<string, Promise<TaskDefInfo>>();
  constructor(private ecs: ECSClient) {}

  get(arn: string): Promise<TaskDefInfo> {
    let p = this.cache.get(arn);
    if (!p) {
      p = this.ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: arn })).then((r) => {
        if (!r.taskDefinition) throw new Error(`no task definition ${arn}`);
        return toInfo(r.taskDefinition);
      });
      p.catch(() => this.cache.delete(arn));
      this.cache.set(arn, p);
    }
    return p;
  }
}

export function toInfo(td: TaskDefinition): TaskDefInfo {
  return {
    arn: td.taskDefinitionArn ?? "",
    family: td.family ?? "",
    executionRoleArn: td.executionRoleArn,
    taskRoleArn: td.taskRoleArn,
    cpu: td.cpu ?? "256",
    memory: td.memory ?? "512",
    containers: (td.containerDefinitions ?? []).map((c) => {
      const opts = c.logConfiguration?.logDriver === "awslogs" ? (c.logConfiguration.options ?? {}) : {};
      return {
        name: c.name ?? "app",
        image: c.image ?? "",
        command: c.command ?? [],
        essential: c.essential !== false,
        cpu: c.cpu,
        memory: c.memory,
        memoryReservation: c.memoryReservation,
        logGroup: opts["awslogs-group"],
        logStreamPrefix: opts["awslogs-stream-prefix"],
        logRegion: opts["awslogs-region"],
        logCreateGroup: opts["awslogs-create-group"] === "true",
        portMappings: (c.portMappings ?? []).map((p) => ({ containerPort: p.containerPort ?? 0 })),
        environment: (c.environment ?? []).map((e) => ({ name: e.name ?? "", value: e.value ?? "" })),
        secrets: (c.secrets ?? []).map((s) => ({ name: s.name ?? "", valueFrom: s.valueFrom ?? "" })),
        hasHealthCheck: c.healthCheck !== undefined,
      };
    }),
  };
}
