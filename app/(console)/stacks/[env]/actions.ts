"use server";
import { restartServiceSchema, rollbackDeploymentSchema, scaleServiceSchema, stopTaskSchema } from "@/lib/schemas/ops";
import { stackNames } from "@/lib/names";
import { defineAction, stackRefresh } from "@/server/actions/define-action";
import { restartService } from "@/server/ops/restart-service";
import { resumeAutoScaling } from "@/server/ops/resume-autoscaling";
import { rollbackDeployment } from "@/server/ops/rollback-deployment";
import { scaleService } from "@/server/ops/scale-service";
import { stopStackTask } from "@/server/ops/stop-task";

// The stack page's operations. Each is a defineAction: session → operator role → zod → server/ops → audit row
// (target `stack:<env>/<service>` so the stack's timeline finds it) → refresh of the stack's snapshot and page.

const svc = (env: string, role: "server" | "worker") => (role === "server" ? stackNames(env).serverService : stackNames(env).workerService);

export const scaleServiceAction = defineAction({
  name: "service.scale",
  role: "operator",
  input: scaleServiceSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  refresh: (i) => stackRefresh(i.env),
  run: (input, { db }) => scaleService(db, input),
});

export const restartServiceAction = defineAction({
  name: "service.restart",
  role: "operator",
  input: restartServiceSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  refresh: (i) => stackRefresh(i.env),
  run: (input, { db }) => restartService(db, input),
});

export const stopTaskAction = defineAction({
  name: "task.stop",
  role: "operator",
  input: stopTaskSchema,
  target: (i) => `stack:${i.env}/task/${i.taskId}`,
  refresh: (i) => stackRefresh(i.env),
  run: (input, { db, user }) => stopStackTask(db, input, user.email),
});

export const rollbackDeploymentAction = defineAction({
  name: "service.rollback",
  role: "operator",
  input: rollbackDeploymentSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  refresh: (i) => stackRefresh(i.env),
  run: (input, { db }) => rollbackDeployment(db, input),
});

export const resumeAutoScalingAction = defineAction({
  name: "service.resume-autoscaling",
  role: "operator",
  input: restartServiceSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  refresh: (i) => stackRefresh(i.env),
  run: (input, { db }) => resumeAutoScaling(db, input),
});
