// Rows of name/value pairs (environment variables, HTTP headers). Values are masked: Canopy keeps them
// as secrets.
import { Button } from '../../../components/Button.tsx';
import type { KeyValue } from '../lib/server-form.ts';

export interface KeyValueEditorProps {
  /** e.g. "Environment variable" — used in every row's labels. */
  itemLabel: string;
  pairs: KeyValue[];
  onChange: (pairs: KeyValue[]) => void;
}

export function KeyValueEditor({ itemLabel, pairs, onChange }: KeyValueEditorProps) {
  const update = (index: number, patch: Partial<KeyValue>) => onChange(pairs.map((pair, i) => (i === index ? { ...pair, ...patch } : pair)));
  return (
    <div className="key-values">
      {pairs.map((pair, index) => (
        <div className="key-value-row" key={index}>
          <input aria-label={`${itemLabel} ${index + 1} name`} placeholder="NAME" value={pair.key} onChange={(e) => update(index, { key: e.target.value })} />
          <input
            aria-label={`${itemLabel} ${index + 1} value`}
            placeholder="value"
            type="password"
            value={pair.value}
            onChange={(e) => update(index, { value: e.target.value })}
          />
          <Button variant="ghost" aria-label={`Remove ${itemLabel.toLowerCase()} ${index + 1}`} onClick={() => onChange(pairs.filter((_, i) => i !== index))}>
            ✕
          </Button>
        </div>
      ))}
      <Button variant="ghost" onClick={() => onChange([...pairs, { key: '', value: '' }])}>
        + Add {itemLabel.toLowerCase()}
      </Button>
    </div>
  );
}
