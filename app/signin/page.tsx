import { SignInForm } from '@/components/auth/SignInForm';

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | undefined>>;
}) {
  const params = await searchParams;
  // Only same-site paths: an absolute callback URL would be an open redirect.
  const callbackUrl =
    params.callbackUrl?.startsWith('/') && !params.callbackUrl.startsWith('//') ? params.callbackUrl : null;
  return (
    <section className="card narrow">
      <h1>Sign in</h1>
      <SignInForm callbackUrl={callbackUrl} initialError={params.error ? 'Sign-in failed' : null} />
      <p>
        New here? <a href="/signup">Create a rider account</a>
      </p>
    </section>
  );
}
