'use client';
import { signIn } from 'next-auth/react';
import { useState } from 'react';

export function SignInForm({
  callbackUrl,
  initialError,
}: {
  callbackUrl: string | null;
  initialError: string | null;
}) {
  const [error, setError] = useState<string | null>(initialError);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await signIn('credentials', {
      email: String(form.get('email') ?? ''),
      password: String(form.get('password') ?? ''),
      redirect: false,
    });
    setBusy(false);
    if (result?.error === 'RateLimited' || result?.status === 429) {
      setError('Too many attempts. Wait a few minutes and try again.');
      return;
    }
    if (!result || result.error) {
      // One message for every failure: it must not tell which of the two was wrong.
      setError('E-mail or password is incorrect');
      return;
    }
    // A full navigation, so the server renders the next page with the new session.
    window.location.assign(callbackUrl ?? '/');
  }

  return (
    <form onSubmit={onSubmit} className="form" method="post" action="/api/auth/callback/credentials">
      <label>
        E-mail
        <input name="email" type="email" autoComplete="username" required maxLength={254} />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required maxLength={200} />
      </label>
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
