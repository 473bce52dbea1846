import "server-only";
import type { Migration } from "../types";

// A stack is one environment (`production`, `staging`): its spec (StackSpec JSON) and lifecycle state.
// runs/run_steps hold durable provisioning runs (one row per resource step) so a run survives restarts.
export const m002: Migration = {
  version: 2,
  name: "stacks, runs, run steps",
  up: `
CREATE TABLE stacks (
  env TEXT PRIMARY KEY,
  region TEXT NOT NULL,
  spec TEXT NOT NULL,
  status TEXT NOT NULL,
  adopted INTEGER NOT NULL DEFAULT 0,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  env TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  plan TEXT NOT NULL,
  spec TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  finished_at BIGINT,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  lease_owner TEXT,
  lease_expires_at BIGINT,
  error TEXT
);
CREATE INDEX runs_env ON runs(env, created_at);
CREATE INDEX runs_status ON runs(status);
CREATE TABLE run_steps (
  run_id TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step_key TEXT NOT NULL,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  action TEXT NOT NULL,
  status TEXT NOT NULL,
  depends_on TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  started_at BIGINT,
  finished_at BIGINT,
  detail TEXT,
  error TEXT,
  outputs TEXT,
  PRIMARY KEY (run_id, step_key)
);
`,
};
