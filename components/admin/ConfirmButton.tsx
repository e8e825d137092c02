'use client';
import { useState } from 'react';

interface ConfirmButtonProps {
  /** The button's label, e.g. "Retire". */
  label: string;
  /** What will happen, asked before it does: "Retire KA-01-AB-1234? Its driver loses it." */
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  danger?: boolean;
}

/** A destructive action in two steps: the button asks, and only "Yes" acts. */
export function ConfirmButton({ label, question, onConfirm, disabled, danger = true }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="button small" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="alertdialog" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className={`button small ${danger ? 'danger' : 'primary'}`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button type="button" className="button small" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
