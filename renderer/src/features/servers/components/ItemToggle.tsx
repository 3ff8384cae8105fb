// One tool or prompt with its on/off switch.
import type { ReactNode } from 'react';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Switch } from '../../../components/Switch.tsx';
import { useAction } from '../../../lib/use-action.ts';

export interface ItemToggleProps {
  kind: 'tool' | 'prompt';
  name: string;
  originalName: string;
  /** The name MCP clients call it by on /mcp, shown when it is not `server__originalName`. */
  listedAs?: string;
  description?: string;
  enabled: boolean;
  setEnabled: (name: string, enabled: boolean) => Promise<unknown>;
  onChanged: () => void;
  /** More to do with the item (a tool's override editor). */
  children?: ReactNode;
}

export function ItemToggle({ kind, name, originalName, listedAs, description, enabled, setEnabled, onChanged, children }: ItemToggleProps) {
  const toggle = useAction(async (next: boolean) => {
    await setEnabled(name, next);
    onChanged();
  });
  return (
    <li className="item-toggle">
      <Switch label={`Enable ${kind} ${originalName}`} hideLabel checked={enabled} busy={toggle.busy} onChange={(next) => toggle.run(next)} />
      <div>
        <code>{originalName}</code>
        {listedAs && <span className="muted small"> listed as <code>{listedAs}</code></span>}
        {description && <div className="muted small clamp">{description}</div>}
        <ErrorNote message={toggle.error} />
        {children}
      </div>
    </li>
  );
}
