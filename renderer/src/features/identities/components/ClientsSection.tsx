// MCP clients (machine identities for Cursor, Claude Code, agents), each with an allow-list.
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useIdentityCollection } from '../hooks/use-identity-collection.ts';
import { parseAllowList } from '../lib/allow-list.ts';
import type { IdentityOperations } from '../hooks/use-identity-collection.ts';
import type { CreateClientBody, McpClientView } from '@core/api/contract.ts';
import { AllowListChips } from './AllowListCell.tsx';
import { IdentityActions } from './IdentityActions.tsx';
import { TokenOnce } from './TokenOnce.tsx';

const operations: IdentityOperations<McpClientView, CreateClientBody> = {
  list: (api) => api.listClients(),
  create: (api, body) => api.createClient(body),
  rotate: (api, name) => api.rotateClientToken(name),
  remove: (api, name) => api.deleteClient(name),
};

export function ClientsSection() {
  const { items, create, rotate, remove, issued, dismissIssued } = useIdentityCollection(operations);
  const [name, setName] = useState('');
  const [allow, setAllow] = useState('');
  const [description, setDescription] = useState('');

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const created = await create.run({ name: name.trim(), allow: parseAllowList(allow), description: description.trim() || undefined });
    if (created) {
      setName('');
      setAllow('');
      setDescription('');
    }
  };

  return (
    <section className="card" aria-label="MCP clients">
      <h2>MCP clients</h2>
      <p className="muted small">Apps and agents that call tools. Each gets a token and reaches only what its allow-list names.</p>
      {issued && <TokenOnce issued={issued} onDone={dismissIssued} />}
      <ErrorNote message={items.error ?? rotate.error ?? remove.error} />
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Allowed</th>
            <th>Description</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.data?.map((client) => (
            <tr key={client.name}>
              <td>{client.name}</td>
              <td>
                <AllowListChips allow={client.allow} />
              </td>
              <td className="muted">{client.description}</td>
              <td>
                <IdentityActions name={client.name} rotating={rotate.busy} deleting={remove.busy} onRotate={() => rotate.run(client.name)} onDelete={() => remove.run(client.name)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.data?.length === 0 && <p className="empty">No MCP clients yet.</p>}
      <form className="form form-grid" aria-label="Create an MCP client" onSubmit={submit}>
        <label>
          Client name
          <input value={name} required placeholder="cursor-laptop" onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Allowed servers and tools
          <input value={allow} placeholder="github, memory__read_graph, or *" onChange={(e) => setAllow(e.target.value)} />
        </label>
        <label className="span-2">
          Client description
          <input value={description} placeholder="optional" onChange={(e) => setDescription(e.target.value)} />
        </label>
        <ErrorNote message={create.error} />
        <div className="actions span-2">
          <Button type="submit" variant="primary" busy={create.busy}>
            Create client
          </Button>
        </div>
      </form>
    </section>
  );
}
