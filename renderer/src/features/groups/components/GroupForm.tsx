// Creates a group or edits one: name, description, included servers, included and excluded tools.
import { useState, type FormEvent } from 'react';
import type { GroupConfig } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGroupChoices } from '../hooks/use-group-choices.ts';
import { configOf, type GroupFormValues } from '../lib/group-form.ts';

export interface GroupFormProps {
  initial: GroupFormValues;
  /** The name of the group being edited; undefined when creating one. */
  editing?: string;
  busy: boolean;
  error: string | undefined;
  onSave: (config: GroupConfig) => Promise<boolean | undefined>;
  onCancel?: () => void;
}

export function GroupForm({ initial, editing, busy, error, onSave, onCancel }: GroupFormProps) {
  const [values, setValues] = useState(initial);
  const choices = useGroupChoices();
  const set = <K extends keyof GroupFormValues>(key: K, value: GroupFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));
  const toggleServer = (server: string, on: boolean) =>
    set('includedServers', on ? [...values.includedServers, server] : values.includedServers.filter((s) => s !== server));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if ((await onSave(configOf(values))) && !editing) setValues(initial);
  };
  // Servers the group names that are not registered (any more) stay listed, so saving keeps them.
  const servers = [...new Set([...(choices.data?.servers ?? []), ...values.includedServers])];

  return (
    <form className="form form-grid" aria-label={editing ? `Edit group ${editing}` : 'Create a group'} onSubmit={submit}>
      <label>
        Group name
        <input value={values.name} required disabled={editing !== undefined} placeholder="research" pattern="[A-Za-z0-9_-]+" title="letters, digits, _ and -" onChange={(e) => set('name', e.target.value)} />
      </label>
      <label>
        Description
        <input value={values.description} placeholder="What the group is for" onChange={(e) => set('description', e.target.value)} />
      </label>
      <fieldset className="span-2 server-choices">
        <legend>Included servers (every tool of each)</legend>
        {servers.length === 0 && <span className="muted small">No servers registered.</span>}
        {servers.map((server) => (
          <label key={server} className="inline">
            <input type="checkbox" checked={values.includedServers.includes(server)} onChange={(e) => toggleServer(server, e.target.checked)} /> {server}
          </label>
        ))}
      </fieldset>
      <label>
        Included tools (server__tool names, one per line)
        <textarea rows={4} value={values.includedTools} onChange={(e) => set('includedTools', e.target.value)} />
      </label>
      <label>
        Excluded tools (left out even when their server is included)
        <textarea rows={4} value={values.excludedTools} onChange={(e) => set('excludedTools', e.target.value)} />
      </label>
      {choices.data && (
        <details className="span-2">
          <summary>Tool names you can use ({choices.data.tools.length})</summary>
          <p className="small wrap">
            <code>{choices.data.tools.join('  ')}</code>
          </p>
        </details>
      )}
      <ErrorNote message={error ?? choices.error} />
      <div className="actions span-2">
        <Button type="submit" variant="primary" busy={busy}>
          {editing ? 'Save group' : 'Create group'}
        </Button>
        {onCancel && <Button onClick={onCancel}>Cancel</Button>}
      </div>
    </form>
  );
}
