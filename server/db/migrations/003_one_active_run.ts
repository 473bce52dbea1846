import "server-only";
import type { Migration } from "../types";

// One active run per stack, enforced by the store itself (two console replicas racing to start an apply):
// a partial unique index — both SQLite and PostgreSQL support `CREATE UNIQUE INDEX … WHERE`.
export const m003: Migration = {
  version: 3,
  name: "one active run per stack",
  up: `
CREATE UNIQUE INDEX runs_one_active ON runs(env) WHERE status IN ('queued', 'running')
`,
};
