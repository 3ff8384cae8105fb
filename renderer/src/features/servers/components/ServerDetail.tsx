// One server: what it is, its actions, its tools/prompts with switches, and its log.
import type { ServerView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useServerActions } from '../hooks/use-server-actions.ts';
import { ServerCatalog } from './ServerCatalog.tsx';
import { ServerLog } from './ServerLog.tsx';
import { StateBadge } from './StateBadge.tsx';

export interface ServerDetailProps {
  server: ServerView;
  onEdit: () => void;
  onChanged: () => void;
  onRemoved: () => void;
}

/** How a stdio server treats idleness; nothing for remote servers (no process to stop). */
function idleBehaviour({ config }: ServerView): string | undefined {
  if (config.transport !== 'stdio') return undefined;
  if (config.always_on) return 'Always on';
  const after = config.idle_timeout_seconds;
  return after === undefined ? 'Sleeps when idle (after the gateway default, 10 min unless changed)' : `Sleeps after ${after} s idle`;
}

function target(server: ServerView): string {
  const { config } = server;
  return config.transport === 'stdio' ? [config.command, ...(config.args ?? [])].join(' ') : (config.url ?? '');
}

export function ServerDetail({ server, onEdit, onChanged, onRemoved }: ServerDetailProps) {
  const { authorize, restart, remove } = useServerActions(server.name, onChanged, onRemoved);
  return (
    <article className="card detail" aria-label={`Server ${server.name} details`}>
      <header className="detail-header">
        <h2>{server.name}</h2>
        <StateBadge server={server} />
      </header>
      <p className="muted small">
        {server.transport} · <code className="wrap">{target(server)}</code>
        {idleBehaviour(server) && <> · {idleBehaviour(server)}</>}
      </p>
      {server.state.lastError && <p className="last-error">{server.state.lastError}</p>}
      <div className="actions">
        {server.state.status === 'needs_authorization' && (
          <Button variant="primary" busy={authorize.busy} onClick={() => authorize.run()}>
            Authorize
          </Button>
        )}
        <Button busy={restart.busy} disabled={!server.enabled} onClick={() => restart.run()}>
          Restart
        </Button>
        <Button onClick={onEdit}>Edit</Button>
        <ConfirmButton
          label={`Remove ${server.name}`}
          question={`Remove ${server.name}? MCP clients lose its tools.`}
          confirmLabel="Yes, remove"
          busy={remove.busy}
          onConfirm={() => remove.run()}
        />
      </div>
      <ErrorNote message={authorize.error ?? restart.error ?? remove.error} />
      <ServerCatalog server={server} />
      <ServerLog name={server.name} />
    </article>
  );
}
