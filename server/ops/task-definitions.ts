import "server-only";
import { processSingleton } from "@/server/process-singleton";
import type { TaskDefinition } from "@aws-sdk/client-ecs";
import { describeTaskDefinition } from "@/server/aws/ecs";

// Task definition revisions are immutable, so one DescribeTaskDefinition per revision per process is enough:
// refreshes after the first make no call for them.
const cache = processSingleton("task-definition-cache", () => new Map<string, Promise<TaskDefinition>>());

export function cachedTaskDefinition(region: string, arn: string): Promise<TaskDefinition> {
  const key = `${region}|${arn}`;
  let p = cache.get(key);
  if (!p) {
    p = describeTaskDefinition(region, arn);
    cache.set(key, p);
    p.catch(() => cache.delete(key));
    if (cache.size > 500) cache.delete(cache.keys().next().value!);
  }
  return p;
}

export function clearTaskDefinitionCache(): void {
  cache.clear();
}
