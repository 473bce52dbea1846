import "server-only";
import { hash, verify } from "@node-rs/argon2";

// argon2id, memory-hard. 19 MiB / 2 passes / 1 lane is OWASP's minimum recommendation and keeps a login
// under ~50 ms on one core of these machines.
const options = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum, not importable with isolatedModules) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
};

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false; // malformed hash: never a match
  }
}

// A hash of nothing in particular, verified when the email is unknown so a login takes the same time either way.
let dummy: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummy ??= hashPassword("not-a-real-password-" + Math.random());
  await verifyPassword(await dummy, password);
}
