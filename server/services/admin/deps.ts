import type { Role } from '@/domain/roles';
import type { Database, Tx } from '../../infra/postgres';
import type { Clock } from '../ports';

/** What admin use cases need: the database and the time. The web process's deps satisfy it. */
export interface AdminDeps {
  db: Database;
  clock: Clock;
}

/** The signed-in admin doing the change, and from where: recorded in every audit entry. */
export interface AdminActor {
  id: string;
  role: Role;
  ip?: string | null;
}

export type { Tx };
