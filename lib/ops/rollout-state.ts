// Isomorphic: when a service's current deployment counts as failed (the UI offers "Roll back", the server allows it).

export interface RolloutFacts {
  rolloutState?: string | null;
  failedTasks?: number | null;
}

/**
 * FAILED (the circuit breaker tripped), or tasks of the current deployment keep failing while the service is below
 * strength — ECS can mark such a deployment COMPLETED when crashing tasks ran briefly, yet it is just as broken.
 */
export function needsRollback(primary: RolloutFacts | undefined, service: { running: number; desired: number }): boolean {
  if (!primary) return false;
  if (primary.rolloutState === "FAILED") return true;
  return (primary.failedTasks ?? 0) > 0 && service.running < service.desired;
}
