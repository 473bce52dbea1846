"use server";
import { revalidatePath } from "next/cache";
import { createUserSchema, updateUserSchema, userIdSchema } from "@/lib/schemas/auth";
import { defineAction } from "@/server/actions/define-action";
import { UserError } from "@/server/actions/errors";
import { deleteUserSessions } from "@/server/auth/sessions";
import {
  createUser as createUserRow,
  EmailTakenError,
  findUserById,
  LastAdminError,
  updateUser as updateUserRow,
} from "@/server/auth/users";

export const createUser = defineAction({
  name: "user.create",
  role: "admin",
  input: createUserSchema,
  target: (i) => `user:${i.email.toLowerCase()}`,
  async run(input, { db }) {
    try {
      const user = await createUserRow(db, input);
      revalidatePath("/users");
      return { id: user.id };
    } catch (err) {
      if (err instanceof EmailTakenError) throw new UserError(err.message, { email: [err.message] });
      throw err;
    }
  },
});

export const updateUser = defineAction({
  name: "user.update",
  role: "admin",
  input: updateUserSchema,
  target: (i) => `user:${i.id}`,
  async run(input, { db, user: me }) {
    if (input.id === me.id && input.disabled) throw new UserError("You can't disable your own account.");
    try {
      const updated = await updateUserRow(db, input.id, { role: input.role, disabled: input.disabled });
      if (!updated) throw new UserError("That user no longer exists.");
    } catch (err) {
      if (err instanceof LastAdminError) throw new UserError(err.message);
      throw err;
    }
    revalidatePath("/users");
    return { id: input.id };
  },
});

export const signOutUserEverywhere = defineAction({
  name: "user.sign-out-everywhere",
  role: "admin",
  input: userIdSchema,
  target: (i) => `user:${i.id}`,
  async run(input, { db }) {
    const target = await findUserById(db, input.id);
    if (!target) throw new UserError("That user no longer exists.");
    const ended = await deleteUserSessions(db, input.id);
    revalidatePath("/users");
    return { ended };
  },
});
