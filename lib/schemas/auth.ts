import { z } from "zod";
import { ROLES } from "@/lib/roles";

// Isomorphic: the same rules in the browser form and in the server action.
export const emailSchema = z
  .string()
  .trim()
  .min(1, "Enter an email address.")
  .max(254, "An email address has at most 254 characters.")
  .email("Enter a valid email address, like ann@example.com.");

export const newPasswordSchema = z.string().min(12, "Use at least 12 characters.").max(256, "Use at most 256 characters.");

export const loginSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(256, "That password is too long."),
});

export const setupSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  password: newPasswordSchema,
});

export const createUserSchema = z.object({
  email: emailSchema,
  name: z.string().trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  role: z.enum(ROLES, { message: "Choose viewer, operator or admin." }),
  password: newPasswordSchema,
});

export const userIdSchema = z.object({ id: z.string().uuid("Unknown user.") });

export const updateUserSchema = userIdSchema.extend({
  role: z.enum(ROLES, { message: "Choose viewer, operator or admin." }).optional(),
  disabled: z.boolean().optional(),
});

/** A session's id is the SHA-256 (hex) of its token. */
export const sessionIdSchema = z.object({ id: z.string().regex(/^[0-9a-f]{64}$/, "Unknown session.") });
