// One per-user server: how the signed-in user stands with it, and connecting their own account
// (OAuth, or a personal token pasted into a password field) or disconnecting it.
import { useState, type FormEvent } from 'react';
import type { ConnectionView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import type { useConnections } from '../hooks/use-connections.ts';
import { describeConnection } from '../lib/connection-label.ts';

type Actions = Omit<ReturnType<typeof useConnections>, 'connections'>;

export function ConnectionCard({ connection, highlighted, actions }: { connection: ConnectionView; highlighted: boolean; actions: Actions }) {
  const { saveToken, authorize, disconnect } = actions;
  const [token, setToken] = useState('');
  const { label, tone, hint } = describeConnection(connection);
  const name = connection.server;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await saveToken.run(name, token)) setToken('');
  };
  return (
    <li className={`card${highlighted ? ' card-highlighted' : ''}`} aria-label={`Connection ${name}`}>
      <header className="detail-header">
        <h2>{name}</h2>
        <span className={`badge badge-${tone}`} title={hint} aria-label={`${name} connection: ${label}`}>
          {label}
        </span>
      </header>
      {connection.description && <p className="description">{connection.description}</p>}
      <p className="muted small">
        {hint}
        {connection.connectedAt && ` Since ${new Date(connection.connectedAt).toLocaleString()}.`}
      </p>
      <div className="actions">
        <Button variant={connection.status === 'connected' ? 'ghost' : 'primary'} busy={authorize.busy} onClick={() => void authorize.run(name)}>
          {connection.kind === 'oauth' ? 'Authorize again' : 'Connect with OAuth'}
        </Button>
        {connection.status !== 'not_connected' && (
          <ConfirmButton label="Disconnect" question={`Disconnect your account of ${name}?`} confirmLabel="Disconnect" busy={disconnect.busy} onConfirm={() => void disconnect.run(name)} />
        )}
      </div>
      <form className="inline-form" onSubmit={(event) => void submit(event)} aria-label={`Personal token for ${name}`}>
        <label>
          Or paste a personal token
          <input type="password" autoComplete="off" value={token} onChange={(event) => setToken(event.target.value)} placeholder="personal access token" />
        </label>
        <Button type="submit" busy={saveToken.busy} disabled={token.trim() === ''}>
          Save token
        </Button>
      </form>
      <ErrorNote message={saveToken.error ?? authorize.error ?? disconnect.error} />
    </li>
  );
}
