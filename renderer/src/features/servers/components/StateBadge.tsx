import type { ServerView } from '@core/api/contract.ts';
import { describeState } from '../lib/state-label.ts';

export function StateBadge({ server }: { server: Pick<ServerView, 'name' | 'enabled' | 'state'> }) {
  const { label, tone, hint } = describeState(server);
  return (
    <span className={`badge badge-${tone}`} title={hint} aria-label={`${server.name} state: ${label}`}>
      {tone === 'busy' && <span className="spinner spinner-inline" aria-hidden="true" />}
      {label}
    </span>
  );
}
