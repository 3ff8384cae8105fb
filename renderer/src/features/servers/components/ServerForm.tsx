// Add or edit one server with a form per transport. Editing re-registers it (force) under the same name.
import { useState, type FormEvent } from 'react';
import { REDACTED } from '@core/api/contract.ts';
import { TRANSPORTS, type Transport } from '@core/config/server-config.ts';
import { Button } from '../../../components/Button.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useRegisterEntries } from '../hooks/use-register-entries.ts';
import { validateServerForm, type ServerFormValues } from '../lib/server-form.ts';
import { KeyValueEditor } from './KeyValueEditor.tsx';
import { RegisterResults } from './RegisterResults.tsx';

const TRANSPORT_LABELS: Record<Transport, string> = {
  stdio: 'STDIO — a command Canopy runs',
  streamable_http: 'Streamable HTTP — a remote URL',
  sse: 'SSE — a remote URL (legacy)',
};

export interface ServerFormProps {
  initial: ServerFormValues;
  mode: 'add' | 'edit';
  /** The registry changed (refresh the list). */
  onChanged: () => void;
  /** Registered cleanly: nothing left to show. */
  onDone: (name: string) => void;
  onCancel: () => void;
}

export function ServerForm({ initial, mode, onChanged, onDone, onCancel }: ServerFormProps) {
  const [values, setValues] = useState(initial);
  const [problem, setProblem] = useState<string>();
  const { results, busy, register } = useRegisterEntries(onChanged);
  const set = <K extends keyof ServerFormValues>(key: K, value: ServerFormValues[K]) => setValues((current) => ({ ...current, [key]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const checked = validateServerForm(values);
    if ('problem' in checked) {
      setProblem(checked.problem);
      return;
    }
    setProblem(undefined);
    const [result] = await register([{ name: checked.config.name, config: checked.config, enabled: true }], mode === 'edit');
    if (result?.outcome === 'registered' && !result.authorizationUrl && result.warnings.length === 0) onDone(result.name);
  };

  const hasRedacted = JSON.stringify(values).includes(REDACTED);
  const http = values.transport !== 'stdio';
  const enterprise = useGateway().status.mode === 'enterprise';

  return (
    <form className="card form" aria-label={mode === 'add' ? 'Add a server' : `Edit ${initial.name}`} onSubmit={submit}>
      <div className="form-grid">
        <label>
          Name
          <input value={values.name} readOnly={mode === 'edit'} required placeholder="github" onChange={(e) => set('name', e.target.value)} />
        </label>
        <label>
          Transport
          <select value={values.transport} onChange={(e) => set('transport', e.target.value as Transport)}>
            {TRANSPORTS.map((transport) => (
              <option key={transport} value={transport}>
                {TRANSPORT_LABELS[transport]}
              </option>
            ))}
          </select>
        </label>
        <label>
          Alias
          <input
            value={values.alias}
            placeholder="optional: gh lists its tools as gh__tool"
            title="A short prefix for its tools and prompts on /mcp, instead of the name"
            onChange={(e) => set('alias', e.target.value)}
          />
        </label>
        <label className="span-2">
          Description
          <input value={values.description} placeholder="optional" onChange={(e) => set('description', e.target.value)} />
        </label>
        {!http && (
          <>
            <label className="span-2">
              Command
              <input value={values.command} placeholder="npx, node, uvx, /path/to/server" onChange={(e) => set('command', e.target.value)} />
            </label>
            <label className="span-2">
              Arguments (one per line)
              <textarea rows={3} value={values.args} onChange={(e) => set('args', e.target.value)} />
            </label>
            <fieldset className="span-2">
              <legend>Environment</legend>
              <KeyValueEditor itemLabel="Environment variable" pairs={values.env} onChange={(env) => set('env', env)} />
            </fieldset>
            <label className="inline" title="Keep the process running even when no client uses it">
              <input type="checkbox" checked={values.alwaysOn} onChange={(e) => set('alwaysOn', e.target.checked)} />
              Always on
            </label>
            <label title="Stopped after this long with no call; its tools stay listed and the next call starts it again">
              Idle timeout (seconds)
              <input
                type="number"
                min={1}
                max={86400}
                step={1}
                value={values.idleTimeoutSeconds}
                disabled={values.alwaysOn}
                placeholder="default: 600"
                onChange={(e) => set('idleTimeoutSeconds', e.target.value)}
              />
            </label>
          </>
        )}
        {http && (
          <>
            <label className="span-2">
              URL
              <input type="url" value={values.url} placeholder="https://example.com/mcp" onChange={(e) => set('url', e.target.value)} />
            </label>
            {enterprise && (
              <label className="span-2 inline">
                <input type="checkbox" checked={values.perUser} onChange={(e) => set('perUser', e.target.checked)} />
                Each person connects their own account (on the Connections page); calls use the caller's own
              </label>
            )}
            {!values.perUser && (
              <label className="span-2">
                Bearer token
                <input type="password" value={values.bearerToken} placeholder="optional" autoComplete="off" onChange={(e) => set('bearerToken', e.target.value)} />
              </label>
            )}
            <fieldset className="span-2">
              <legend>Headers</legend>
              <KeyValueEditor itemLabel="Header" pairs={values.headers} onChange={(headers) => set('headers', headers)} />
            </fieldset>
          </>
        )}
      </div>
      {hasRedacted && <p className="hint">Hidden values ({REDACTED}) keep what is stored; type a new value to replace one.</p>}
      <ErrorNote message={problem} />
      <RegisterResults results={results} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={busy}>
          {mode === 'add' ? 'Register server' : 'Save changes'}
        </Button>
        <Button onClick={onCancel}>{results.length ? 'Close' : 'Cancel'}</Button>
      </div>
    </form>
  );
}
