import "server-only";
import type { StackSpec } from "@/lib/stack-spec";
import { UserError } from "@/server/actions/errors";
import type { Db } from "@/server/db";
import { getStack } from "@/server/stacks/registry";
import type { Plan } from "@/lib/plan";
import { planApply, planDestroy, validateNetwork } from "./plan";
import { ActiveRunError, activeRun, createRun, startRun } from "./runs";

// What the pages' actions call: preview a plan, start an apply or destroy run. Every entry point re-plans on the
// server (a plan shown in the browser is a preview; the run re-observes AWS anyway, level-based).

/** An existing stack keeps its region and VPC: moving them would orphan every resource. */
function checkImmutable(existing: { region: string; spec: unknown } | undefined, spec: StackSpec): void {
  if (!existing) return;
  const stored = existing.spec as Partial<StackSpec>;
  if (existing.region !== spec.region)
    throw new UserError(
      `${spec.env} lives in ${existing.region}; a stack cannot move to another region. Create a new stack there instead.`,
      { "spec.region": [`Stays ${existing.region}`] },
    );
  if (stored.vpcId && stored.vpcId !== spec.vpcId)
    throw new UserError(`${spec.env} lives in ${stored.vpcId}; a stack cannot move to another VPC. Create a new stack instead.`, {
      "spec.vpcId": [`Stays ${stored.vpcId}`],
    });
}

export async function previewApply(db: Db, spec: StackSpec, mode: "new" | "edit" | "adopt"): Promise<Plan> {
  const existing = await getStack(db, spec.env);
  if (mode === "edit") checkImmutable(existing, spec);
  if (mode !== "edit" && existing && existing.status !== "destroyed")
    throw new UserError(`A stack named ${spec.env} exists already. Pick another name, or open it and edit its spec.`, {
      "spec.env": [`${spec.env} is taken by an existing stack`],
    });
  await validateNetwork(spec);
  const plan = await planApply(spec);
  const found = plan.items.filter((i) => i.action !== "create" && i.current);
  if (mode === "new" && found.length)
    plan.warnings = [
      `${found.length} resource${found.length === 1 ? "" : "s"} named for ${spec.env} exist already (${found
        .slice(0, 4)
        .map((i) => i.name)
        .join(
          ", ",
        )}${found.length > 4 ? ", …" : ""}). Applying takes them over and changes them as listed. To bring in a stack made elsewhere deliberately, use Adopt.`,
    ];
  return plan;
}

export async function startApply(
  db: Db,
  spec: StackSpec,
  user: { email: string },
  opts: { isNew: boolean; adopted?: boolean },
): Promise<{ runId: string }> {
  const existing = await getStack(db, spec.env);
  if (opts.isNew && existing && existing.status !== "destroyed")
    throw new UserError(`A stack named ${spec.env} exists already. Pick another name, or open it and edit its spec.`, {
      "spec.env": [`${spec.env} is taken by an existing stack`],
    });
  if (!opts.isNew && !existing) throw new UserError(`There is no stack named ${spec.env}.`);
  if (!opts.isNew) checkImmutable(existing, spec);
  const busy = await activeRun(db, spec.env);
  if (busy) throw new UserError(new ActiveRunError(busy.id, spec.env).message);
  await validateNetwork(spec);
  const plan = await planApply(spec);
  try {
    const runId = await createRun(db, {
      spec,
      plan,
      kind: "apply",
      createdBy: user.email,
      adopted: opts.adopted ?? existing?.adopted ?? false,
    });
    startRun(db, runId);
    return { runId };
  } catch (err) {
    if (err instanceof ActiveRunError) throw new UserError(err.message);
    throw err;
  }
}

export async function previewDestroy(db: Db, env: string): Promise<Plan> {
  const stack = await getStack(db, env);
  if (!stack) throw new UserError(`There is no stack named ${env}.`);
  return planDestroy(stack.spec as StackSpec);
}

export async function startDestroy(db: Db, env: string, user: { email: string }): Promise<{ runId: string }> {
  const stack = await getStack(db, env);
  if (!stack) throw new UserError(`There is no stack named ${env}.`);
  const busy = await activeRun(db, env);
  if (busy) throw new UserError(new ActiveRunError(busy.id, env).message);
  const plan = await planDestroy(stack.spec as StackSpec);
  if (plan.blockers.length) throw new UserError(plan.blockers.join(" "));
  try {
    const runId = await createRun(db, { spec: stack.spec as StackSpec, plan, kind: "destroy", createdBy: user.email });
    startRun(db, runId);
    return { runId };
  } catch (err) {
    if (err instanceof ActiveRunError) throw new UserError(err.message);
    throw err;
  }
}
