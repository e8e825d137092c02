import { encode, getToken } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import {
  type CookiePair,
  parseCookieHeader,
  sessionCookieName,
  sessionTokenOf,
} from '@/server/auth/session-cookie';
import { SessionTokenReader } from '@/server/auth/session-token';

/*
 * The session token read as next-auth's own getToken reads it: tokens made by next-auth's encode,
 * every way a request can carry one, compared answer for answer with getToken.
 */
const secret = 'a-test-secret-that-is-long-enough-0123456789';
const sid = '6f1c2b9e-0d4a-4c1e-9b7a-2f3e4d5c6b7a';
const reader = new SessionTokenReader(secret);

const tokenFor = (claims: Record<string, unknown>, maxAge = 3_600, key = secret) =>
  encode({ token: claims, secret: key, maxAge });

/** What getToken says the request's sid is, and what we say. */
async function bothRead(cookies: CookiePair[], secure: boolean, authorization?: string) {
  const headers = new Headers(authorization ? { authorization } : {});
  const theirs = await getToken({
    req: { cookies: { getAll: () => cookies }, headers } as unknown as Parameters<typeof getToken>[0]['req'],
    secret,
    secureCookie: secure,
  });
  const token = sessionTokenOf(cookies, authorization, sessionCookieName(secure));
  const ours = token ? await reader.sessionIdOf(token, Date.now()) : null;
  return { theirs: (theirs?.sid as string | undefined) ?? null, ours };
}

describe('session token', () => {
  it('reads the sid from the plain and the secure cookie, as getToken does', async () => {
    const token = await tokenFor({ sid, uid: 'u1', role: 'rider' });
    for (const secure of [false, true]) {
      const cookies = [{ name: sessionCookieName(secure), value: token }];
      expect(await bothRead(cookies, secure)).toEqual({ theirs: sid, ours: sid });
      // The other scheme's cookie is not this site's session.
      expect(await bothRead(cookies, !secure)).toEqual({ theirs: null, ours: null });
    }
  });

  it('joins chunked cookies in suffix order, whatever order they arrive in', async () => {
    const token = await tokenFor({ sid, filler: 'x'.repeat(5_000) });
    const name = sessionCookieName(false);
    const parts = [token.slice(0, 1_000), token.slice(1_000, 4_000), token.slice(4_000)];
    const cookies = [
      { name: `${name}.2`, value: parts[2]! },
      { name: 'other', value: 'x' },
      { name: `${name}.0`, value: parts[0]! },
      { name: `${name}.1`, value: parts[1]! },
    ];
    expect(await bothRead(cookies, false)).toEqual({ theirs: sid, ours: sid });
    expect(await bothRead(cookies.slice(1), false)).toEqual({ theirs: null, ours: null });
  });

  it('refuses a token under another secret, an expired one, garbage and one without a sid', async () => {
    const name = sessionCookieName(false);
    const cases = [
      await tokenFor({ sid }, 3_600, 'another-secret-that-is-long-enough-987654'),
      await tokenFor({ sid }, -60),
      'not-a-token',
      await tokenFor({ uid: 'u1' }),
    ];
    for (const value of cases) {
      expect(await bothRead([{ name, value }], false)).toEqual({ theirs: null, ours: null });
    }
  });

  it('accepts a token 15 s past its expiry, as next-auth does, and not 16 s', async () => {
    const token = await tokenFor({ sid }, 60);
    const fresh = new SessionTokenReader(secret);
    const exp = (Math.floor(Date.now() / 1000) + 60) * 1000;
    expect(await fresh.sessionIdOf(token, exp + 14_000)).toBe(sid);
    // Remembered, yet only until the token's own end.
    expect(await fresh.sessionIdOf(token, exp + 16_000)).toBeNull();
  });

  it('takes a Bearer token when there is no cookie', async () => {
    const token = await tokenFor({ sid });
    expect(await bothRead([], false, `Bearer ${encodeURIComponent(token)}`)).toEqual({
      theirs: sid,
      ours: sid,
    });
    expect(await bothRead([], false, 'Bearer')).toEqual({ theirs: null, ours: null });
    expect(await bothRead([], false, 'Bearer %E0%A4%A')).toEqual({ theirs: null, ours: null });
    expect(await bothRead([], false, `Basic ${token}`)).toEqual({ theirs: null, ours: null });
  });

  it('parses a cookie header as Next does', async () => {
    const { RequestCookies } = await import('next/dist/compiled/@edge-runtime/cookies');
    const header = 'a=1; b=%7Bx%7D;c; a=2;;bad=%E0%A4%A; next-auth.session-token=abc=def';
    const next = new RequestCookies(new Headers({ cookie: header }))
      .getAll()
      .map(({ name, value }) => ({ name, value }));
    expect(parseCookieHeader(header)).toEqual(next);
    expect(parseCookieHeader(header).find((c) => c.name === 'a')?.value).toBe('2');
    expect(parseCookieHeader(undefined)).toEqual([]);
  });
});
