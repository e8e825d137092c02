import type { ReactNode } from 'react';
import { LinkButton } from '../ui/LinkButton';

/** The panel beside a table that shows the row picked in it, with a heading and a Close. */
export function DetailCard({
  title,
  onClose,
  children,
  ...data
}: {
  title: string;
  onClose: () => void;
  children: ReactNode;
  'data-testid': string;
  [data: `data-${string}`]: string;
}) {
  return (
    <aside className="card" {...data}>
      <div className="admin-head">
        <h2>{title}</h2>
        <LinkButton onClick={onClose}>Close</LinkButton>
      </div>
      {children}
    </aside>
  );
}
