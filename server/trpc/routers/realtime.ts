import { signSocketToken } from '../../auth/socket-token';
import { authedProcedure, router } from '../init';

export const realtimeRouter = router({
  /** A short-lived token for the Socket.IO server, bound to this auth session. */
  token: authedProcedure.mutation(async ({ ctx }) => {
    const { token, expiresAt } = await signSocketToken(
      ctx.user,
      ctx.deps.env.SOCKET_TOKEN_SECRET,
      ctx.deps.clock.now(),
    );
    return { token, expiresAt, url: ctx.deps.env.PUBLIC_REALTIME_URL };
  }),
});
