"use server";
import { createUserSchema, updateUserSchema, userIdSchema } from "@/lib/schemas/auth";
import { defineAction } from "@/server/actions/define-action";
import { UserError } from "@/server/errors";
import { deleteUserSessions } from "@/server/auth/sessions";
import { createUser as createUserRow, findUserById, updateUser as updateUserRow } from "@/server/auth/users";

export const createUser = defineAction({
  name: "user.create",
  role: "admin",
  input: createUserSchema,
  target: (i) => `user:${i.email.toLowerCase()}`,
  refresh: () => ({ paths: ["/users"] }),
  async run(input, { db }) {
    const user = await createUserRow(db, input);
    return { id: user.id };
  },
});

export const updateUser = defineAction({
  name: "user.update",
  role: "admin",
  input: updateUserSchema,
  target: (i) => `user:${i.id}`,
  refresh: () => ({ paths: ["/users"] }),
  async run(input, { db, user: me }) {
    if (input.id === me.id && input.disabled) throw new UserError("You can't disable your own account.");
    // The last-admin rule is checked inside updateUser's locked transaction (LastAdminError is a UserError).
    const updated = await updateUserRow(db, input.id, { role: input.role, disabled: input.disabled });
    if (!updated) throw new UserError("That user no longer exists.");
    return { id: input.id };
  },
});

export const signOutUserEverywhere = defineAction({
  name: "user.sign-out-everywhere",
  role: "admin",
  input: userIdSchema,
  target: (i) => `user:${i.id}`,
  refresh: () => ({ paths: ["/users"] }),
  async run(input, { db }) {
    const target = await findUserById(db, input.id);
    if (!target) throw new UserError("That user no longer exists.");
    return { ended: await deleteUserSessions(db, input.id) };
  },
});
