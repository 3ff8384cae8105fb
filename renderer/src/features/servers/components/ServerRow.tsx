import type { ServerView } from '@core/api/contract.ts';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Switch } from '../../../components/Switch.tsx';
import { useToggleServer } from '../hooks/use-toggle-server.ts';
import { StateBadge } from './StateBadge.tsx';
import { EraBadge } from './EraBadge.tsx';
import { countOf } from '../../../lib/plural.ts';

export interface ServerRowProps {
  server: ServerView;
  selected: boolean;
  onSelect: () => void;
  onChanged: () => void;
}

export function ServerRow({ server, selected, onSelect, onChanged }: ServerRowProps) {
  const toggle = useToggleServer(onChanged);
  return (
    <li className={`server-row${selected ? ' selected' : ''}`} aria-label={`Server ${server.name}`}>
      <div className="server-row-main">
        <div className="server-row-title">
          <button type="button" className="link server-name" title={server.name} aria-current={selected || undefined} onClick={onSelect}>
            {server.name}
          </button>
          <StateBadge server={server} />
          <EraBadge server={server} />
        </div>
        <Switch label={`Enable ${server.name}`} hideLabel checked={server.enabled} busy={toggle.busy} onChange={(enabled) => toggle.run(server, enabled)} />
      </div>
      <div className="muted small">
        {countOf(server.toolCount, 'tool')} · {countOf(server.promptCount, 'prompt')} · {countOf(server.resourceCount, 'resource')}
      </div>
      {server.description && <div className="muted small">{server.description}</div>}
      {server.state.lastError && server.state.status !== 'running' && (
        <div className="last-error small" aria-label={`${server.name} last error`}>
          {server.state.lastError}
        </div>
      )}
      <ErrorNote message={toggle.error} />
    </li>
  );
}
