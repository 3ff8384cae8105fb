// An on/off toggle: a real checkbox (role="switch") so it has a label and keyboard support.
export interface SwitchProps {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  busy?: boolean;
  disabled?: boolean;
  /** Hide the label visually (it stays the accessible name). */
  hideLabel?: boolean;
}

export function Switch({ label, checked, onChange, busy = false, disabled = false, hideLabel = false }: SwitchProps) {
  return (
    <label className="switch">
      <input
        type="checkbox"
        role="switch"
        checked={checked}
        disabled={disabled || busy}
        aria-busy={busy || undefined}
        onChange={(event) => onChange(event.target.checked)}
      />
      <span className="switch-track" aria-hidden="true" />
      <span className={hideLabel ? 'visually-hidden' : 'switch-label'}>{label}</span>
    </label>
  );
}
