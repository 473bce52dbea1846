import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
import { takeLock } from "@/server/db/locks";
import { ConflictError } from "@/server/errors";
import type { Role } from "@/lib/roles";
import { hashPassword } from "./password";

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: number;
}

interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: number;
  created_at: number;
  password_hash: string;
  oidc_subject: string | null;
}

const toUser = (r: UserRow): User => ({
  id: r.id,
  email: r.email,
  name: r.name,
  role: r.role,
  disabled: Number(r.disabled) === 1,
  createdAt: Number(r.created_at),
});

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

export async function countUsers(db: Db): Promise<number> {
  const r = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM users");
  return Number(r?.n ?? 0);
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.all<UserRow>("SELECT * FROM users ORDER BY email")).map(toUser);
}

export async function findUserById(db: Db, id: string): Promise<User | undefined> {
  const r = await db.get<UserRow>("SELECT * FROM users WHERE id = ?", [id]);
  return r ? toUser(r) : undefined;
}

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return (await findUserWithHash(db, email))?.user;
}

export async function findUserByOidcSubject(db: Db, subject: string): Promise<User | undefined> {
  const r = await db.get<UserRow>("SELECT * FROM users WHERE oidc_subject = ?", [subject]);
  return r ? toUser(r) : undefined;
}

export async function linkOidcSubject(db: Db, id: string, subject: string): Promise<void> {
  await db.run("UPDATE users SET oidc_subject = ?, updated_at = ? WHERE id = ?", [subject, Date.now(), id]);
}

// Users who sign in only through OpenID Connect have no password: this value is no argon2 hash, so it never verifies.
const NO_PASSWORD = "!sso-only";

/** First single sign-on of someone new: the user is created with the role their groups map to. */
export async function createOidcUser(db: Db, input: { email: string; name: string; role: Role; subject: string }): Promise<User> {
  const email = normaliseEmail(input.email);
  const now = Date.now();
  const id = randomUUID();
  const name = input.name.trim().slice(0, 100);
  await db.run(
    "INSERT INTO users (id, email, name, password_hash, role, disabled, created_at, updated_at, oidc_subject) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?)",
    [id, email, name, NO_PASSWORD, input.role, now, now, input.subject],
  );
  return { id, email, name, role: input.role, disabled: false, createdAt: now };
}

/** The identity provider's groups decide a single sign-on user's role at each sign-in. */
export async function setRoleFromProvider(db: Db, id: string, role: Role): Promise<User | undefined> {
  await db.run("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", [role, Date.now(), id]);
  return findUserById(db, id);
}

export async function findUserWithHash(db: Db, email: string): Promise<{ user: User; passwordHash: string } | undefined> {
  const r = await db.get<UserRow>("SELECT * FROM users WHERE email = ?", [normaliseEmail(email)]);
  return r ? { user: toUser(r), passwordHash: r.password_hash } : undefined;
}

export async function createUser(db: Db, input: { email: string; name: string; password: string; role: Role }): Promise<User> {
  const email = normaliseEmail(input.email);
  if (await findUserWithHash(db, email)) {
    const taken = `A user with the email ${email} already exists.`;
    throw new ConflictError(taken, { email: [taken] });
  }
  const now = Date.now();
  const id = randomUUID();
  const passwordHash = await hashPassword(input.password);
  await db.run(
    "INSERT INTO users (id, email, name, password_hash, role, disabled, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)",
    [id, email, input.name.trim(), passwordHash, input.role, now, now],
  );
  return { id, email, name: input.name.trim(), role: input.role, disabled: false, createdAt: now };
}

export class LastAdminError extends ConflictError {
  constructor() {
    super("The console needs at least one active admin. Make another user admin first.");
    this.name = "LastAdminError";
  }
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
  return Number(r?.n ?? 0);
}

/**
 * Changes a user's role or disabled flag. One transaction under the `admins` lock decides and writes, so two admins
 * demoting each other at the same moment leave one admin (the second sees the first's change and gets LastAdminError).
 * A disabled user is signed out everywhere at once; a demoted one keeps their sessions, which carry the new role
 * from their next request on.
 */
export async function updateUser(db: Db, id: string, patch: { role?: Role; disabled?: boolean }): Promise<User | undefined> {
  return db.tx(async (tx) => {
    await takeLock(tx, "admins");
    const target = await findUserById(tx, id);
    if (!target) return undefined;
    const losesAdmin = target.role === "admin" && !target.disabled && ((patch.role && patch.role !== "admin") || patch.disabled === true);
    if (losesAdmin && (await countActiveAdmins(tx)) <= 1) throw new LastAdminError();
    const now = Date.now();
    if (patch.role) await tx.run("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", [patch.role, now, id]);
    if (patch.disabled !== undefined) {
      await tx.run("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", [patch.disabled ? 1 : 0, now, id]);
      if (patch.disabled) await tx.run("DELETE FROM sessions WHERE user_id = ?", [id]);
    }
    return findUserById(tx, id);
  });
}
