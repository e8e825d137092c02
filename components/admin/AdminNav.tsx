'use client';
import Link from 'next/link';
import { usePathname } from 'next/navigation';

const tabs = [
  { href: '/admin', label: 'Vehicles' },
  { href: '/admin/vehicle-types', label: 'Vehicle types' },
  { href: '/admin/drivers', label: 'Drivers' },
  { href: '/admin/riders', label: 'Riders' },
  { href: '/admin/users', label: 'Accounts' },
  { href: '/admin/pricing', label: 'Pricing' },
  { href: '/admin/service-area', label: 'Service area' },
  { href: '/admin/audit', label: 'Audit log' },
  { href: '/admin/analytics', label: 'Analytics' },
] as const;

export function AdminNav() {
  const path = usePathname();
  return (
    <nav className="admin-tabs" aria-label="Administration">
      {tabs.map((t) => (
        <Link key={t.href} href={t.href} aria-current={path === t.href ? 'page' : undefined}>
          {t.label}
        </Link>
      ))}
      <Link href="/dispatch" className="admin-tabs-aside">
        Live map →
      </Link>
    </nav>
  );
}
