import Link from 'next/link';

export default function Forbidden() {
  return (
    <section className="card narrow" data-testid="forbidden">
      <h1>Access denied</h1>
      <p>Your account does not have access to this page.</p>
      <Link href="/">Back to your home page</Link>
    </section>
  );
}
