// A destructive action asks once more in place ("Remove" → "Remove everything? Yes / Cancel").
import { useState, type ReactNode } from 'react';
import { Button } from './Button.tsx';

export interface ConfirmButtonProps {
  label: string;
  question: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
}

export function ConfirmButton({ label, question, confirmLabel, onConfirm, busy = false }: ConfirmButtonProps) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <Button variant="danger" busy={busy} onClick={() => setAsking(true)}>
        {label}
      </Button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={label}>
      <span>{question}</span>
      <Button
        variant="danger"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirmLabel}
      </Button>
      <Button onClick={() => setAsking(false)}>Cancel</Button>
    </span>
  );
}
