import { encode } from 'next-auth/jwt';
import { DomainError } from '@/domain/errors';
import type { Role } from '@/domain/roles';
import type { Clock } from '../services/ports';

export interface DoorSettings {
  /** Where the web app answers tRPC (its public URL, or its own address inside a deployment). */
  webUrl: string;
  /** The web app's public URL: over https its session cookie has the `__Secure-` name. */
  publicUrl: string;
  realtimeUrl: string;
  nextAuthSecret: string;
  socketTokenSecret: string;
  clock: Clock;
}

export interface SimAccount {
  id: string;
  email: string;
  name: string;
  /** The auth session the simulator opened for this person (like a sign-in). */
  sessionId: string;
}

/** A tRPC mutation through the web app's API door, as the app's own client sends it. */
export type WebCall = <T = unknown>(path: string, input: unknown) => Promise<T>;

/**
 * The web app, as a signed-in person's app sees it: the session cookie a sign-in would give
 * (minted with next-auth's own `encode`, the claims of server/auth/next-auth-options.ts) and tRPC
 * calls carrying it. A refusal is thrown as a DomainError naming the procedure and the reason.
 */
export async function webSession(
  account: SimAccount,
  role: Role,
  settings: DoorSettings,
  ttlS: number,
): Promise<WebCall> {
  const secure = settings.publicUrl.startsWith('https://');
  const jwe = await encode({
    token: {
      name: account.name,
      email: account.email,
      sub: account.id,
      uid: account.id,
      role,
      sid: account.sessionId,
    },
    secret: settings.nextAuthSecret,
    maxAge: ttlS,
  });
  const cookie = `${secure ? '__Secure-' : ''}next-auth.session-token=${jwe}`;
  return async <T>(path: string, input: unknown): Promise<T> => {
    const response = await fetch(new URL(`/api/trpc/${path}`, settings.webUrl), {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify(input),
      signal: AbortSignal.timeout(10_000),
    });
    const body = (await response.json().catch(() => null)) as {
      result?: { data?: T };
      error?: { message?: string };
    } | null;
    if (!response.ok) {
      throw new DomainError(
        response.status === 409 ? 'CONFLICT' : response.status === 400 ? 'INVALID_INPUT' : 'UNAVAILABLE',
        `${path}: ${response.status} ${body?.error?.message ?? ''}`.trim(),
      );
    }
    return body?.result?.data as T;
  };
}
