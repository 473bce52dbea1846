// A signed-in session as the sessions page shows it (server/auth/sessions.ts reads them; the browser renders them).
export interface SessionInfo {
  id: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  clientAddress: string | undefined;
  userAgent: string | undefined;
}

/** One row of the sessions page: the session, and whether it is the one making the request. */
export type SessionRowDto = SessionInfo & { current: boolean };
