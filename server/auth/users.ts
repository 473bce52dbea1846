import "server-only";
import { randomUUID } from "node:crypto";
import type { Db } from "@/server/db";
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

export async function updateUser(db: Db, id: string, patch: { role?: Role; disabled?: boolean }): Promise<User | undefined> {
  const now = Date.now();
  if (patch.role) await db.run("UPDATE users SET role = ?, updated_at = ? WHERE id = ?", [patch.role, now, id]);
  if (patch.disabled !== undefined) {
    await db.run("UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?", [patch.disabled ? 1 : 0, now, id]);
    // A disabled user is signed out everywhere at once.
    if (patch.disabled) await db.run("DELETE FROM sessions WHERE user_id = ?", [id]);
  }
  return findUserById(db, id);
}

export async function countActiveAdmins(db: Db): Promise<number> {
  const r = await db.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE role = 'admin' AND disabled = 0");
  return Number(r?.n ?? 0);
}
