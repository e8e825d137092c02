export const roles = ['rider', 'driver', 'dispatcher', 'admin'] as const;
export type Role = (typeof roles)[number];

/** Who may watch the live operations view (map, every driver's position). */
export const operationsRoles: readonly Role[] = ['dispatcher', 'admin'];

export function hasRole(role: Role, allowed: readonly Role[]): boolean {
  return allowed.includes(role);
}

/** The page each role lands on after signing in. */
export function homePathFor(role: Role): string {
  switch (role) {
    case 'rider':
      return '/rider';
    case 'driver':
      return '/driver';
    case 'dispatcher':
      return '/dispatch';
    case 'admin':
      return '/admin';
  }
}
