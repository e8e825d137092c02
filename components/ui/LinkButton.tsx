import type { ReactNode } from 'react';

/** A button that reads as a link on a card: a name that opens its detail, a filter, "Close". */
export function LinkButton({ onClick, children }: { onClick: () => void; children: ReactNode }) {
  return (
    <button type="button" className="link-button dark" onClick={onClick}>
      {children}
    </button>
  );
}
