import { signUpSchema } from '@/domain/account';
import { rateLimits } from '@/domain/rate-limits';
import { signUpRider } from '../../services/account/sign-up-rider';
import { publicProcedure, router } from '../init';

export const accountRouter = router({
  /**
   * A rider's own sign-up (anonymous; limited per client address). The browser then signs in with
   * the same e-mail and password through next-auth.
   */
  signUp: publicProcedure.input(signUpSchema).mutation(async ({ ctx, input }) => {
    await ctx.deps.rateLimiter.enforce(
      'signUp',
      ctx.ip ?? 'unknown',
      rateLimits.signUp,
      'sign-ups from here',
    );
    const user = await signUpRider(ctx.deps, input, ctx.ip ?? null);
    ctx.deps.metrics.funnel.inc({ step: 'signed_up' });
    return user;
  }),
});
