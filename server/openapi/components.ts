import { type RateLimitName, rateLimits } from '@/domain/rate-limits';

/** The HTTP status of each error code tRPC (and so the REST door) answers with. */
export const errorCodeOf: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  409: 'CONFLICT',
  422: 'UNPROCESSABLE_CONTENT',
  429: 'TOO_MANY_REQUESTS',
  503: 'SERVICE_UNAVAILABLE',
};

export const sessionCookie = 'next-auth.session-token';

/** Shared components: the error body (server/trpc/init.ts errorFormatter, unwrapped), headers, security. */
export const components = {
  schemas: {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message', 'field'],
          properties: {
            code: {
              type: 'string',
              description: 'The tRPC error code (the same the web app sees in `error.data.code`).',
              enum: [
                ...Object.values(errorCodeOf),
                'METHOD_NOT_SUPPORTED',
                'PARSE_ERROR',
                'INTERNAL_SERVER_ERROR',
              ],
            },
            message: {
              type: 'string',
              description:
                'Safe to show to a person. Invalid input reads `<field>: <problem>`; internal failures ' +
                'say only "Something went wrong on our side".',
            },
            field: {
              type: ['string', 'null'],
              description: 'Dotted path of the input field to blame (e.g. `pickup.lat`, `ids.0`), or null.',
            },
            issues: {
              type: 'array',
              description: 'Every problem found in the input, when the input failed validation.',
              items: {
                type: 'object',
                required: ['field', 'message'],
                properties: { field: { type: 'string' }, message: { type: 'string' } },
              },
            },
          },
        },
      },
    },
  },
  headers: {
    RetryAfter: {
      description: 'Seconds to wait before trying again.',
      schema: { type: 'integer', minimum: 1 },
    },
  },
  securitySchemes: {
    sessionCookie: {
      type: 'apiKey',
      in: 'cookie',
      name: sessionCookie,
      description:
        'The sign-in session (next-auth, encrypted, HttpOnly, 12 hours; `__Secure-next-auth.session-token` ' +
        'over HTTPS). Browsers get it by signing in at `/signin`. A script gets it the same way: ' +
        '`GET /api/auth/csrf` for a `csrfToken` (and its cookie), then `POST /api/auth/callback/credentials` ' +
        'as a form with `csrfToken`, `email` and `password`, keeping the cookies it sets. Every request ' +
        'checks the session in the database: signing out, suspension or a role change ends it at once. ' +
        `Sign-in is limited to ${rateLimits.signInPerAccount.limit} attempts per account and ` +
        `${rateLimits.signInPerIp.limit} per client address (by default) every 15 minutes.`,
    },
  },
} as const;

/** "600 per 60 s": a limit in words. */
export function describeLimit(name: RateLimitName): string {
  const { limit, windowMs } = rateLimits[name];
  const window = windowMs % 3_600_000 === 0 ? `${windowMs / 3_600_000} h` : `${windowMs / 1000} s`;
  return `\`${name}\`: ${limit} per ${window}`;
}
