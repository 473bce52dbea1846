"use server";
import { revalidatePath } from "next/cache";
import { sessionIdSchema } from "@/lib/schemas/auth";
import { defineAction } from "@/server/actions/define-action";
import { UserError } from "@/server/errors";
import { deleteUserSessions, revokeSession } from "@/server/auth/sessions";
import { z } from "zod";

// Your own sessions: anyone signed in may end theirs (never someone else's — the user id comes from the session).
export const revokeMySession = defineAction({
  name: "session.revoke",
  role: "viewer",
  input: sessionIdSchema,
  target: (i) => `session:${i.id.slice(0, 12)}`,
  async run(input, { db, user }) {
    if (!(await revokeSession(db, user.id, input.id))) throw new UserError("That session has already ended.");
    revalidatePath("/account/sessions");
    return { ended: 1 };
  },
});

export const signOutEverywhere = defineAction({
  name: "session.sign-out-everywhere",
  role: "viewer",
  input: z.object({}).strict(),
  target: () => "sessions:self",
  async run(_input, { db, user }) {
    return { ended: await deleteUserSessions(db, user.id) };
  },
});
