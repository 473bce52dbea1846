"use client";
import { Play, RotateCcw, RefreshCcw, Scaling } from "lucide-react";
import { useState } from "react";
import {
  restartServiceAction,
  resumeAutoScalingAction,
  rollbackDeploymentAction,
  scaleServiceAction,
} from "@/app/(console)/stacks/[env]/actions";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { checkDesiredCount, desiredCountError, type ScaleBounds } from "@/lib/ops/desired-count";
import { needsRollback } from "@/lib/ops/rollout-state";
import type { ScalingDto, ServiceDto } from "@/lib/ops/types";
import type { Operation } from "./operation";

/** Scale / restart / roll back one service: each confirmed, then followed on the page until AWS reports it steady. */
export function ServiceActions({
  env,
  service,
  bounds,
  scalable,
  busy,
  onStarted,
  onError,
}: {
  env: string;
  service: ServiceDto;
  bounds: ScaleBounds;
  scalable: ScalingDto | undefined;
  busy: boolean;
  onStarted: (op: Operation) => void;
  onError: (message: string) => void;
}) {
  const [count, setCount] = useState(String(service.desired));
  const [serverError, setServerError] = useState<string | undefined>();
  const id = `${service.role}-desired`;
  const label = service.role === "server" ? "Server desired count" : "Worker desired count";
  const n = count.trim() === "" ? Number.NaN : Number(count);
  // The server parses the same rules with zod; the page checks them without shipping zod to the browser.
  const schemaError = desiredCountError(n) ?? undefined;
  const boundsError = schemaError ? undefined : (checkDesiredCount(service.role, n, bounds) ?? undefined);
  const error = schemaError ?? boundsError ?? serverError;
  const unchanged = n === service.desired;
  const failed = needsRollback(
    service.deployments.find((d) => d.status === "PRIMARY"),
    service,
  );

  return (
    <div className="flex flex-wrap items-end gap-2">
      <Field
        id={id}
        label={label}
        error={error}
        hint={`${bounds.min}–${bounds.max}${bounds.pauseAllowed ? (bounds.min > 0 ? ", or 0 to pause" : "; 0 pauses") : ""}`}
        className="w-40"
      >
        <Input
          type="number"
          inputMode="numeric"
          min={0}
          max={bounds.max}
          step={1}
          value={count}
          onChange={(e) => {
            setCount(e.target.value);
            setServerError(undefined);
          }}
        />
      </Field>
      <ConfirmDialog
        trigger={
          <Button variant="outline" disabled={busy || Boolean(schemaError || boundsError) || unchanged} className="mb-[1.1rem]">
            <Scaling />
            Scale…
          </Button>
        }
        title={`Scale ${service.name}?`}
        description={
          <>
            Desired count {service.desired} → <strong>{n}</strong>.
            {n === 0 && service.role === "worker" ? " The worker pauses: no flow runs are picked up until you scale it up again." : ""}
            {scalable && !scalable.suspended
              ? ` Auto scaling (${scalable.min}–${scalable.max}) is suspended so it does not undo this count; resume it from this card when you are done.`
              : ""}
          </>
        }
        confirmLabel={`Scale to ${Number.isFinite(n) ? n : "?"}`}
        onConfirm={async () => {
          const r = await scaleServiceAction({ env, service: service.role, desiredCount: n });
          if (r.ok) onStarted({ kind: "scale", service: service.name, to: n, startedAt: Date.now() });
          else {
            setServerError(r.fieldErrors?.desiredCount?.[0]);
            onError(r.error);
          }
        }}
      />
      <ConfirmDialog
        trigger={
          <Button variant="outline" disabled={busy || service.desired === 0} className="mb-[1.1rem]">
            <RefreshCcw />
            Restart…
          </Button>
        }
        title={`Restart ${service.name}?`}
        description={`Starts a new deployment of the same task definition (${service.taskDefinition ?? "?"}): new tasks start and pass health checks, then the old ones drain.`}
        confirmLabel="Restart"
        onConfirm={async () => {
          const r = await restartServiceAction({ env, service: service.role });
          if (r.ok) onStarted({ kind: "restart", service: service.name, deploymentId: r.data.deploymentId, startedAt: Date.now() });
          else onError(r.error);
        }}
      />
      {scalable?.suspended ? (
        <ConfirmDialog
          trigger={
            <Button variant="outline" disabled={busy} className="mb-[1.1rem]">
              <Play />
              Resume auto scaling…
            </Button>
          }
          title={`Resume auto scaling of ${service.name}?`}
          description={`The target-tracking policy takes the desired count back (range ${scalable.min}–${scalable.max}); it may scale in or out within minutes.`}
          confirmLabel="Resume auto scaling"
          onConfirm={async () => {
            const r = await resumeAutoScalingAction({ env, service: service.role });
            if (!r.ok) onError(r.error);
          }}
        />
      ) : null}
      {failed ? (
        <ConfirmDialog
          trigger={
            <Button variant="destructive" disabled={busy} className="mb-[1.1rem]">
              <RotateCcw />
              Roll back…
            </Button>
          }
          title={`Roll back ${service.name}?`}
          description="The current deployment's tasks fail. The service returns to the task definition of its last completed deployment (or the previous revision)."
          confirmLabel="Roll back"
          destructive
          onConfirm={async () => {
            const r = await rollbackDeploymentAction({ env, service: service.role });
            if (r.ok) onStarted({ kind: "rollback", service: service.name, to: r.data.to, startedAt: Date.now() });
            else onError(r.error);
          }}
        />
      ) : null}
    </div>
  );
}
