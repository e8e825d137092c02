import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { SignOutButton } from '@/components/layout/SignOutButton';
import { AppProviders } from '@/components/providers/AppProviders';
import { homePathFor } from '@/domain/roles';
import { currentUser } from '@/server/web/page-guard';
import './globals.css';

export const metadata: Metadata = {
  title: 'OpenDispatch',
  description: 'Real-time driver availability and dispatch',
  icons: { icon: '/icons/icon-192.png', apple: '/icons/apple-touch-icon.png' },
};

export const viewport: Viewport = { themeColor: '#0f172a', width: 'device-width', initialScale: 1 };

export const dynamic = 'force-dynamic';

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await currentUser();
  // The operator's basemap, if any (validated at start by the web env schema; the CSP allows it).
  const mapStyle = process.env.MAP_STYLE_URL || undefined;
  return (
    <html lang="en">
      <head>{mapStyle ? <meta name="opendispatch-map-style" content={mapStyle} /> : null}</head>
      <body>
        <header className="topbar">
          <Link href={user ? homePathFor(user.role) : '/'} className="brand">
            OpenDispatch
          </Link>
          <nav>
            {user ? (
              <>
                <span className="who" data-testid="signed-in-as">
                  {user.name} · {user.role}
                </span>
                <SignOutButton />
              </>
            ) : (
              <Link href="/signin">Sign in</Link>
            )}
          </nav>
        </header>
        <AppProviders>
          <main>{children}</main>
        </AppProviders>
      </body>
    </html>
  );
}
