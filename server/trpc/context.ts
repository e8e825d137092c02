import type { SessionUser } from '../auth/session-user';
import type { WebDeps } from '../web/deps';

export interface TrpcContext {
  deps: WebDeps;
  user: SessionUser | null;
  /** The client's address as our proxy reports it (rate limits of anonymous actions); null in tests. */
  ip?: string | null;
}
