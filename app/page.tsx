import Link from 'next/link';
import { redirect } from 'next/navigation';
import { homePathFor } from '@/domain/roles';
import { currentUser } from '@/server/web/page-guard';

export default async function Home() {
  const user = await currentUser();
  if (user) redirect(homePathFor(user.role));
  return (
    <section className="hero">
      <h1>Real-time dispatch for a whole city</h1>
      <p>
        Riders book, drivers go on duty and stream their position, dispatchers watch the live map, and the
        platform prices every trip and assigns the best driver.
      </p>
      <Link className="button primary" href="/signin">
        Sign in
      </Link>
    </section>
  );
}
