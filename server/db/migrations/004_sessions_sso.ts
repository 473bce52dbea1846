import "server-only";
import type { Migration } from "../types";

// Sessions remember where they were opened (the "Your sessions" page); users signed in through OpenID Connect are
// found by their provider subject; oidc_logins holds each sign-in in flight (state → nonce + PKCE verifier), used once.
export const m004: Migration = {
  version: 4,
  name: "session details, OIDC subjects and sign-ins in flight",
  up: `
ALTER TABLE sessions ADD COLUMN client_address TEXT;
ALTER TABLE sessions ADD COLUMN user_agent TEXT;
CREATE INDEX sessions_expires ON sessions(expires_at);
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
CREATE UNIQUE INDEX users_oidc_subject ON users(oidc_subject) WHERE oidc_subject IS NOT NULL;
CREATE TABLE oidc_logins (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  next_path TEXT,
  expires_at BIGINT NOT NULL
)
`,
};
