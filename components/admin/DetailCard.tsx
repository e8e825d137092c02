import type { ReactNode } from 'react';

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
        <button type="button" className="link-button dark" onClick={onClose}>
          Close
        </button>
      </div>
      {children}
    </aside>
  );
}
