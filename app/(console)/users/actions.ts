"use server";
import { createUserSchema, updateUserSchema } from "@/lib/schemas/auth";
import { defineAction } from "@/server/actions/define-action";
import { UserError } from "@/server/errors";
import { countActiveAdmins, createUser as createUserRow, findUserById, updateUser as updateUserRow } from "@/server/auth/users";

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
    const target = await findUserById(db, input.id);
    if (!target) throw new UserError("That user no longer exists.");
    const losesAdmin = target.role === "admin" && !target.disabled && ((input.role && input.role !== "admin") || input.disabled === true);
    if (losesAdmin && (await countActiveAdmins(db)) <= 1)
      throw new UserError("The console needs at least one active admin. Make another user admin first.");
    if (target.id === me.id && input.disabled) throw new UserError("You can't disable your own account.");
    await updateUserRow(db, input.id, { role: input.role, disabled: input.disabled });
    return { id: input.id };
  },
});
