// Isomorphic: the UI hides what a role can't do; the server enforces it (requireRole / defineAction).
export const ROLES = ["viewer", "operator", "admin"] as const;
export type Role = (typeof ROLES)[number];

const rank: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

export function hasRole(actual: Role, needed: Role): boolean {
  return rank[actual] >= rank[needed];
}

export const roleDescriptions: Record<Role, string> = {
  viewer: "Reads everything, changes nothing",
  operator: "Provisions stacks, scales, restarts, reads logs",
  admin: "Everything, plus users",
};
