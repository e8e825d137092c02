import { demoCity } from '@/domain/city';
import { type RateLimitName, rateLimits } from '@/domain/rate-limits';
import { describeLimit } from './components';

const limitUse: Record<RateLimitName, string> = {
  signInPerAccount: 'password attempts per account',
  signInPerIp: 'sign-in attempts per client address',
  signUp: 'sign-ups per client address (`account.signUp`)',
  quote: 'quotes per rider (`pricing.quote`, instead of the mutation limit)',
  bookingCreate: 'booking attempts per rider (`booking.create`, retries with one key count once)',
  mutation: 'any other mutation per user',
  query: 'queries per user',
};

/** The document's introduction (Markdown): how to call the API, the rules every operation shares. */
export function overview(): string {
  const limits = (Object.keys(rateLimits) as RateLimitName[])
    .map((name) => `| ${describeLimit(name)} | ${limitUse[name] ?? ''} |`)
    .join('\n');
  return `The OpenDispatch API, generated at run time from the platform's tRPC procedures: every operation
here is one procedure, with the same input validation, role checks and rate limits as the web app.

## Two ways in

- **REST (for integrators).** A query \`router.procedure\` is \`GET /api/v1/router/procedure\`; a mutation is
  \`POST /api/v1/router/procedure\` with the input as a JSON body (\`Content-Type: application/json\`; no body
  for procedures without input). A method that does not match answers 405 with \`Allow\`.
  **Query input:** when every input field is a string, number, boolean or enum, or a list of them, send one
  query parameter per field (\`?lat=12.97&lng=77.59\`), lists by repeating the parameter (\`?ids=a&ids=b\`);
  values are read by the field's type (\`true\`/\`false\`, numbers), and a parameter the procedure does not
  take is refused (400, naming it). Nested input is sent as one parameter \`input\` holding the JSON
  (\`?input={"range":{"from":"…","to":"…"}}\`, URL-encoded); \`input\` works for every query.
  Answers are \`{ "data": … }\` (200) or \`{ "error": { "code", "message", "field" } }\` with the status below.
- **tRPC (the web app).** \`/api/trpc/router.procedure\` (\`GET ?input=<JSON>\` for queries, \`POST\` for
  mutations), answering tRPC's \`{ "result": { "data" } }\` envelope. Same procedures, same
  rules; prefer REST from other languages.

## Authentication

A signed-in session's cookie (see the \`sessionCookie\` scheme). State-changing requests (\`POST\`) from a
browser must come from this site's own pages: a cross-site \`Origin\` (or \`Sec-Fetch-Site: cross-site\`) is
refused with 403 before anything runs. Clients that are not browsers send neither header and are not
affected.

## Errors

| status | code | when |
|---|---|---|
| 400 | BAD_REQUEST | the input is invalid; \`error.field\` names the field (dotted path) |
| 401 | UNAUTHORIZED | no valid session |
| 403 | FORBIDDEN | the session's role may not call this, or a cross-site POST |
| 404 | NOT_FOUND | no such record (or not yours: others' records read as missing) |
| 409 | CONFLICT | the state does not allow it now (already used, already under way, changed meanwhile) |
| 422 | UNPROCESSABLE_CONTENT | well-formed but cannot be honoured as asked (an idempotency key reused) |
| 429 | TOO_MANY_REQUESTS | a rate limit: wait \`Retry-After\` seconds |
| 503 | SERVICE_UNAVAILABLE | a dependency is briefly down: retry after \`Retry-After\` seconds |
| 500 | INTERNAL_SERVER_ERROR | a bug; the message says nothing more, the server logs it |

## Rate limits

Fixed windows per user (or per client address before sign-in), counted in Redis across all web
instances, the same for REST and tRPC:

| limit | counts |
|---|---|
${limits}

Money is in minor units of \`currency\` (${demoCity.money.minorUnit} for ${demoCity.money.currency}, the demo city's);
times are epoch milliseconds unless a field says ISO 8601.`;
}
