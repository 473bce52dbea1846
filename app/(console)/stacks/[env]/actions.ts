"use server";
import { revalidatePath } from "next/cache";
import { restartServiceSchema, rollbackDeploymentSchema, scaleServiceSchema, stopTaskSchema } from "@/lib/schemas/ops";
import { stackNames } from "@/lib/names";
import { defineAction } from "@/server/actions/define-action";
import { restartService } from "@/server/ops/restart-service";
import { invalidateSnapshot } from "@/server/ops/snapshot-cache";
import { resumeAutoScaling } from "@/server/ops/resume-autoscaling";
import { rollbackDeployment } from "@/server/ops/rollback-deployment";
import { scaleService } from "@/server/ops/scale-service";
import { stopStackTask } from "@/server/ops/stop-task";

// The stack page's operations. Each is a defineAction: session → operator role → zod → server/ops → audit row
// (target `stack:<env>/<service>` so the stack's timeline finds it).

const svc = (env: string, role: "server" | "worker") => (role === "server" ? stackNames(env).serverService : stackNames(env).workerService);

export const scaleServiceAction = defineAction({
  name: "service.scale",
  role: "operator",
  input: scaleServiceSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  async run(input, { db }) {
    const r = await scaleService(db, input);
    invalidateSnapshot(input.env);
    revalidatePath(`/stacks/${input.env}`);
    return r;
  },
});

export const restartServiceAction = defineAction({
  name: "service.restart",
  role: "operator",
  input: restartServiceSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  async run(input, { db }) {
    const r = await restartService(db, input);
    invalidateSnapshot(input.env);
    revalidatePath(`/stacks/${input.env}`);
    return r;
  },
});

export const stopTaskAction = defineAction({
  name: "task.stop",
  role: "operator",
  input: stopTaskSchema,
  target: (i) => `stack:${i.env}/task/${i.taskId}`,
  async run(input, { db, user }) {
    const r = await stopStackTask(db, input, user.email);
    invalidateSnapshot(input.env);
    revalidatePath(`/stacks/${input.env}`);
    return r;
  },
});

export const rollbackDeploymentAction = defineAction({
  name: "service.rollback",
  role: "operator",
  input: rollbackDeploymentSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  async run(input, { db }) {
    const r = await rollbackDeployment(db, input);
    invalidateSnapshot(input.env);
    revalidatePath(`/stacks/${input.env}`);
    return r;
  },
});

export const resumeAutoScalingAction = defineAction({
  name: "service.resume-autoscaling",
  role: "operator",
  input: restartServiceSchema,
  target: (i) => `stack:${i.env}/${svc(i.env, i.service)}`,
  async run(input, { db }) {
    const r = await resumeAutoScaling(db, input);
    invalidateSnapshot(input.env);
    revalidatePath(`/stacks/${input.env}`);
    return r;
  },
});
