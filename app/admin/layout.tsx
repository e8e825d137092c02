import type { ReactNode } from 'react';
import { AdminNav } from '@/components/admin/AdminNav';
import '@/components/admin/admin.css';

/**
 * The admin shell: tabs over every admin page. The role is checked by each page (a layout is not
 * re-run on client navigation) and by every admin procedure; the tabs themselves reveal nothing.
 */
export default function AdminLayout({ children }: { children: ReactNode }) {
  return (
    <div className="admin">
      <AdminNav />
      {children}
    </div>
  );
}
