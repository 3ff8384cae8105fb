// OAuth clients (Claude, ChatGPT, VS Code, ... that people sign in to): a rule per client ID or
// metadata document URL narrows what its tokens reach, within each user's own allow-list; clients
// without a rule get the user's list, or nothing when unlisted clients are refused.
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { UnlistedOAuthClients } from '@core/api/contract.ts';
import { parseAllowList } from '../lib/allow-list.ts';
import { AllowListCell } from './AllowListCell.tsx';

export function OAuthClientsSection() {
  const { client } = useGateway();
  const rules = useResource(() => client.listOAuthClientRules(), [client]);
  const [clientId, setClientId] = useState('');
  const [allow, setAllow] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction(async () => {
    await client.createOAuthClientRule({ clientId: clientId.trim(), allow: parseAllowList(allow), description: description.trim() || undefined });
    setClientId('');
    setAllow('');
    setDescription('');
    await rules.reload();
  });
  const remove = useAction(async (id: string) => {
    await client.deleteOAuthClientRule(id);
    await rules.reload();
  });
  const setUnlisted = useAction(async (unlisted: UnlistedOAuthClients) => {
    await client.setUnlistedOAuthClients(unlisted);
    await rules.reload();
  });
  const update = async (id: string, entries: string[]) => {
    await client.updateOAuthClientRule(id, { allow: entries });
    await rules.reload();
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void create.run();
  };

  return (
    <section className="card" aria-label="OAuth clients">
      <h2>OAuth clients</h2>
      <p className="muted small">
        Apps people sign in to with their own account. A token reaches what both its user&apos;s list and its client&apos;s rule allow.
      </p>
      <ErrorNote message={rules.error ?? remove.error ?? setUnlisted.error} />
      {rules.data && (
        <label className="inline">
          Clients without a rule
          <select value={rules.data.unlisted} disabled={setUnlisted.busy} onChange={(e) => void setUnlisted.run(e.target.value as UnlistedOAuthClients)}>
            <option value="allow">reach what their user may</option>
            <option value="refuse">are refused</option>
          </select>
        </label>
      )}
      <table className="table">
        <thead>
          <tr>
            <th>Client</th>
            <th>Allowed</th>
            <th>Description</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rules.data?.rules.map((rule) => (
            <tr key={rule.clientId}>
              <td>
                <code>{rule.clientId}</code>
              </td>
              <td>
                <AllowListCell owner={rule.clientId} allow={rule.allow} onSave={(entries) => update(rule.clientId, entries)} />
              </td>
              <td className="muted">{rule.description}</td>
              <td>
                <ConfirmButton
                  label={`Delete the rule of ${rule.clientId}`}
                  question="Delete this rule? The client is then treated as one without a rule."
                  confirmLabel="Yes, delete"
                  busy={remove.busy}
                  onConfirm={() => void remove.run(rule.clientId)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {rules.data?.rules.length === 0 && <p className="empty">No OAuth client rules.</p>}
      <form className="form form-grid" aria-label="Add an OAuth client rule" onSubmit={submit}>
        <label>
          Client ID or metadata URL
          <input value={clientId} required placeholder="https://claude.ai/oauth/mcp-oauth-client-metadata" onChange={(e) => setClientId(e.target.value)} />
        </label>
        <label>
          Allowed for this client
          <input value={allow} required placeholder="github, research, or *" onChange={(e) => setAllow(e.target.value)} />
        </label>
        <label className="span-2">
          Rule description
          <input value={description} placeholder="optional" onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorNote message={create.error} />
        <div className="actions span-2">
          <Button type="submit" variant="primary" busy={create.busy}>
            Add rule
          </Button>
        </div>
      </form>
    </section>
  );
}
