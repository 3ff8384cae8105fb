// Where Canopy keeps its registry: this computer (SQLite) or an enterprise PostgreSQL. Switching
// restarts the gateway on the other store, so only the desktop app offers it.
import { useState } from 'react';
import type { StatusView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import type { CanopyBridge, OperationResult } from '../../../lib/desktop-bridge.ts';
import { useAction } from '../../../lib/use-action.ts';

interface StorageSwitchProps {
  bridge: CanopyBridge;
  current: StatusView['store']['kind'];
  onSwitched: () => void;
}

function OperationNote({ result }: { result: OperationResult | undefined }) {
  if (!result) return null;
  return (
    <p className={result.ok ? 'success' : 'error-note'} role="status">
      {result.message}
    </p>
  );
}

/** A field that keeps no autocomplete history; `secret` hides what is typed. */
function TextInput({ secret, placeholder, value, onChange }: { secret?: boolean; placeholder: string; value: string; onChange: (value: string) => void }) {
  return <input type={secret ? 'password' : 'text'} autoComplete="off" placeholder={placeholder} value={value} onChange={(e) => onChange(e.target.value)} />;
}

function StorageSwitch({ bridge, current, onSwitched }: StorageSwitchProps) {
  const [kind, setKind] = useState(current);
  const [url, setUrl] = useState('');
  const [password, setPassword] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [tested, setTested] = useState<OperationResult>();
  const [switched, setSwitched] = useState<OperationResult>();
  const postgres = { url: url.trim(), password: password || undefined };
  const test = useAction(async () => setTested(await bridge.storage.testPostgres(postgres)));
  const switchStore = useAction(async () => {
    const result = await bridge.storage.switch(kind === 'sqlite' ? { kind } : { kind, ...postgres, secretKey: secretKey.trim() || undefined });
    setSwitched(result);
    if (result.ok) onSwitched();
  });
  const needsUrl = kind === 'postgres';
  // Any edit makes the last test and switch results stale.
  const edited = (set: (value: string) => void) => (value: string) => {
    set(value);
    setTested(undefined);
    setSwitched(undefined);
  };
  return (
    <div className="form">
      <fieldset className="radio-group">
        <legend>Storage</legend>
        <label className="inline">
          <input type="radio" name="storage" checked={kind === 'sqlite'} onChange={() => setKind('sqlite')} />
          This computer (SQLite)
        </label>
        <label className="inline">
          <input type="radio" name="storage" checked={kind === 'postgres'} onChange={() => setKind('postgres')} />
          Enterprise PostgreSQL
        </label>
      </fieldset>
      {needsUrl && (
        <div className="inline-form">
          <label className="grow">
            PostgreSQL URL
            <TextInput placeholder="postgres://user@host:5432/canopy" value={url} onChange={edited(setUrl)} />
          </label>
          <label>
            Password
            <TextInput secret placeholder="kept in the OS keychain" value={password} onChange={edited(setPassword)} />
          </label>
          <Button busy={test.busy} disabled={!url.trim()} onClick={() => test.run()}>
            Test connection
          </Button>
        </div>
      )}
      {needsUrl && (
        <label>
          Secret key
          <TextInput
            secret
            placeholder="the key the other Canopy instances on this database use; empty: the saved one, or a new one"
            value={secretKey}
            onChange={edited(setSecretKey)}
          />
          <span className="muted">Upstream secrets are encrypted in the database with it; it is kept in the OS keychain.</span>
        </label>
      )}
      <OperationNote result={tested} />
      <OperationNote result={switched} />
      <ErrorNote message={test.error ?? switchStore.error} />
      <Button variant="primary" busy={switchStore.busy} disabled={kind === current || (needsUrl && !tested?.ok)} onClick={() => switchStore.run()}>
        {switchStore.busy ? 'Switching — the gateway restarts…' : 'Switch storage'}
      </Button>
    </div>
  );
}

export interface StorageSectionProps {
  store: StatusView['store'];
  bridge: CanopyBridge | undefined;
  onSwitched: () => void;
}

export function StorageSection({ store, bridge, onSwitched }: StorageSectionProps) {
  return (
    <section className="card" aria-label="Storage">
      <h2>Storage</h2>
      <p>
        Now: <strong>{store.kind === 'sqlite' ? 'This computer (SQLite)' : 'Enterprise PostgreSQL'}</strong> <span className="muted">— {store.description}</span>
      </p>
      {bridge ? (
        <StorageSwitch bridge={bridge} current={store.kind} onSwitched={onSwitched} />
      ) : (
        <p className="muted">
          Switching storage restarts the gateway, so it needs the Canopy desktop app. For <code>canopy serve</code>, pass{' '}
          <code>--database-url</code> or <code>--db</code>.
        </p>
      )}
    </section>
  );
}
