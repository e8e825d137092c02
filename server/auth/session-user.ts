import type { Role } from '@/domain/roles';

/** The signed-in principal every door passes to use cases. */
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  /** The auth session (row in auth_sessions) this request belongs to. */
  sessionId: string;
}
