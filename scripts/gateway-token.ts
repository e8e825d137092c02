import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { signServiceToken } from '@/server/auth/socket-token';
import { runDir } from './lib/paths';

/**
 * `npm run gateway-token -- <name> [hours]`: a service token for a telematics gateway, signed with
 * SOCKET_TOKEN_SECRET (or, in development, the secret `npm run up` generated). At most 24 hours.
 */
const [name, hours = '24'] = process.argv.slice(2);
if (!name) {
  console.error('usage: npm run gateway-token -- <name> [hours ≤ 24]');
  process.exit(2);
}
const secret =
  process.env.SOCKET_TOKEN_SECRET ??
  (JSON.parse(readFileSync(join(runDir, 'secrets.json'), 'utf8')) as { socket: string }).socket;
const { token, expiresAt } = await signServiceToken(
  name,
  secret,
  Date.now(),
  Math.round(Number(hours) * 3_600),
);
console.log(token);
console.error(`gateway "${name}", valid until ${new Date(expiresAt).toISOString()}`);
