// Rotate (a new token; the old one stops working at once) and delete, for one client or user.
import { Button } from '../../../components/Button.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';

export interface IdentityActionsProps {
  name: string;
  rotating: boolean;
  deleting: boolean;
  onRotate: () => void;
  onDelete: () => void;
}

export function IdentityActions({ name, rotating, deleting, onRotate, onDelete }: IdentityActionsProps) {
  return (
    <span className="actions">
      <Button busy={rotating} aria-label={`Rotate token of ${name}`} onClick={onRotate}>
        Rotate token
      </Button>
      <ConfirmButton label={`Delete ${name}`} question={`Delete ${name}? Its token stops working.`} confirmLabel="Yes, delete" busy={deleting} onConfirm={onDelete} />
    </span>
  );
}
