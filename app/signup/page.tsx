import { redirect } from 'next/navigation';
import { SignUpForm } from '@/components/auth/SignUpForm';
import { homePathFor } from '@/domain/roles';
import { currentUser } from '@/server/web/page-guard';

/** Riders create their own account here; drivers and staff are created by admins. */
export default async function SignUpPage() {
  const user = await currentUser();
  if (user) redirect(homePathFor(user.role));
  return (
    <section className="card narrow">
      <h1>Create a rider account</h1>
      <SignUpForm />
      <p>
        Already have one? <a href="/signin">Sign in</a>
      </p>
    </section>
  );
}
