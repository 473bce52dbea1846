import "server-only";
import type { Cluster } from "@aws-sdk/client-ecs";
import type { LogGroup } from "@aws-sdk/client-cloudwatch-logs";
import { stackTags } from "@/lib/names";
import { createCluster, deleteCluster, findCluster, setContainerInsights } from "@/server/aws/ecs";
import { createLogGroup, deleteLogGroup, findLogGroup, putRetention } from "@/server/aws/logs-admin";
import { defineResource, diffOf, valueChange } from "../types";

// The ECS cluster (Container Insights on, as in the seed) and the log group `/ecs/prefect-<env>` (30 days).

interface ClusterDesired {
  clusterName: string;
  containerInsights: "enabled" | "disabled";
  tags: Record<string, string>;
}

export const cluster = defineResource<ClusterDesired, Cluster>({
  key: "cluster",
  kind: "ECS cluster",
  group: "compute",
  dependsOn: [],
  name: (ctx) => ctx.names.cluster,
  desired: (ctx) => ({ clusterName: ctx.names.cluster, containerInsights: "enabled", tags: stackTags(ctx.env, "ecs") }),
  observe: (ctx) => findCluster(ctx.region, ctx.names.cluster),
  diff: (d, o) =>
    diffOf([
      valueChange("Container Insights", d.containerInsights, o.settings?.find((s) => s.name === "containerInsights")?.value ?? "disabled"),
    ]),
  create: (ctx, d) => createCluster(ctx.region, d.clusterName, d.containerInsights === "enabled", d.tags),
  update: (ctx, d) => setContainerInsights(ctx.region, d.clusterName, d.containerInsights === "enabled"),
  delete: (ctx, o) => deleteCluster(ctx.region, o.clusterName ?? ""),
  ready: (o) => (o.status === "ACTIVE" ? true : `cluster ${o.status ?? "provisioning"}`),
  outputs: (o) => ({ arn: o.clusterArn ?? "", name: o.clusterName ?? "" }),
  status: (o) => o.status ?? "unknown",
});

interface LogGroupDesired {
  logGroupName: string;
  retentionInDays: number;
  tags: Record<string, string>;
}

export const logGroup = defineResource<LogGroupDesired, LogGroup>({
  key: "log-group",
  kind: "log group",
  group: "monitoring",
  dependsOn: [],
  name: (ctx) => ctx.names.logGroup,
  desired: (ctx) => ({ logGroupName: ctx.names.logGroup, retentionInDays: 30, tags: stackTags(ctx.env, "logs") }),
  observe: (ctx) => findLogGroup(ctx.region, ctx.names.logGroup),
  diff: (d, o) => diffOf([valueChange("retention (days)", d.retentionInDays, o.retentionInDays ?? "never expire")]),
  create: async (ctx, d) => {
    await createLogGroup(ctx.region, d.logGroupName, d.tags);
    await putRetention(ctx.region, d.logGroupName, d.retentionInDays);
  },
  update: (ctx, d) => putRetention(ctx.region, d.logGroupName, d.retentionInDays),
  delete: (ctx, o) => deleteLogGroup(ctx.region, o.logGroupName ?? ""),
  ready: () => true,
  outputs: (o) => ({ name: o.logGroupName ?? "", arn: o.arn ?? "" }),
});
