// Isomorphic and dependency-free (no zod), so the stack page's bundle stays small: the limits and messages for a
// desired count. lib/schemas/ops.ts builds the server's zod schema from the same constants and words.

/** A hard ceiling for any desired count typed into the console (the stack's auto-scaling max usually binds first). */
export const MAX_DESIRED_COUNT = 100;

export const desiredCountMessages = {
  number: "Desired count must be a number",
  int: "Desired count must be a whole number",
  min: "Desired count cannot be negative",
  max: `Desired count must be at most ${MAX_DESIRED_COUNT}`,
} as const;

/** The same verdict as the server's schema for one desired count, or null when the value is acceptable. */
export function desiredCountError(n: number): string | null {
  if (typeof n !== "number" || Number.isNaN(n)) return desiredCountMessages.number;
  if (!Number.isInteger(n)) return desiredCountMessages.int;
  if (n < 0) return desiredCountMessages.min;
  if (n > MAX_DESIRED_COUNT) return desiredCountMessages.max;
  return null;
}
