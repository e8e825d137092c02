import type { SessionUser } from '../auth/session-user';
import type { WebDeps } from '../web/deps';

export interface TrpcContext {
  deps: WebDeps;
  user: SessionUser | null;
}
