'use client';
import { useMutation } from '@tanstack/react-query';
import { signIn } from 'next-auth/react';
import { useState } from 'react';
import { useTRPC } from '@/components/trpc';
import { signUpLimits } from '@/domain/account';

type FieldErrors = Partial<Record<'email' | 'name' | 'password' | 'phone' | 'form', string>>;

/** The server's refusal, placed next to the field it names (or above the button). */
function errorsOf(error: unknown): FieldErrors {
  const e = error as {
    message?: string;
    data?: { field?: string | null; issues?: { field: string; message: string }[] | null };
  };
  const out: FieldErrors = {};
  for (const issue of e.data?.issues ?? []) out[issue.field as keyof FieldErrors] ??= issue.message;
  const field = e.data?.field as keyof FieldErrors | undefined;
  const message = (e.message ?? 'Something went wrong').replace(/^[a-z]+: /, '');
  if (field && !out[field]) out[field] = message;
  if (Object.keys(out).length === 0) out.form = message;
  return out;
}

export function SignUpForm() {
  const trpc = useTRPC();
  const [errors, setErrors] = useState<FieldErrors>({});
  const signUp = useMutation(trpc.account.signUp.mutationOptions());

  async function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = {
      email: String(form.get('email') ?? ''),
      name: String(form.get('name') ?? ''),
      password: String(form.get('password') ?? ''),
      phone: String(form.get('phone') ?? '').trim() || undefined,
    };
    setErrors({});
    try {
      await signUp.mutateAsync(input);
    } catch (error) {
      setErrors(errorsOf(error));
      return;
    }
    const result = await signIn('credentials', {
      email: input.email,
      password: input.password,
      redirect: false,
    });
    window.location.assign(result?.error ? '/signin' : '/rider');
  }

  const hint = (field: keyof FieldErrors) =>
    errors[field] ? (
      <span className="error" role="alert" data-testid={`signup-error-${field}`}>
        {errors[field]}
      </span>
    ) : null;

  return (
    <form onSubmit={onSubmit} className="form" method="post" noValidate>
      <label>
        Name
        <input name="name" autoComplete="name" required maxLength={signUpLimits.nameMax} />
        {hint('name')}
      </label>
      <label>
        E-mail
        <input name="email" type="email" autoComplete="email" required maxLength={254} />
        {hint('email')}
      </label>
      <label>
        Password
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={signUpLimits.passwordMin}
          maxLength={signUpLimits.passwordMax}
        />
        <small>At least {signUpLimits.passwordMin} characters.</small>
        {hint('password')}
      </label>
      <label>
        Phone (optional, shown to your driver)
        <input name="phone" type="tel" autoComplete="tel" maxLength={20} />
        {hint('phone')}
      </label>
      {hint('form')}
      <button type="submit" disabled={signUp.isPending}>
        {signUp.isPending ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}
