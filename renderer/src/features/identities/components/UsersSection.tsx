// Human users: admins operate the gateway; users list and call what they may reach, and their own
// allow-list bounds what the MCP clients they sign in to with OAuth may reach.
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useIdentityCollection, type IdentityOperations } from '../hooks/use-identity-collection.ts';
import { parseAllowList } from '../lib/allow-list.ts';
import type { CreateUserBody, UpdateUserBody, UserRole, UserView } from '@core/api/contract.ts';
import { AllowListCell } from './AllowListCell.tsx';
import { IdentityActions } from './IdentityActions.tsx';
import { TokenOnce } from './TokenOnce.tsx';

const operations: IdentityOperations<UserView, CreateUserBody> = {
  list: (api) => api.listUsers(),
  create: (api, body) => api.createUser(body),
  rotate: (api, name) => api.rotateUserToken(name),
  remove: (api, name) => api.deleteUser(name),
};

export function UsersSection() {
  const { client } = useGateway();
  const { items, create, rotate, remove, issued, dismissIssued } = useIdentityCollection(operations);
  const [name, setName] = useState('');
  const [role, setRole] = useState<UserRole>('user');
  const [allow, setAllow] = useState('');
  const [sso, setSso] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const entries = parseAllowList(allow);
    if (await create.run({ name: name.trim(), role, allow: entries.length ? entries : undefined, ...(sso ? { sso: true } : {}) })) {
      setName('');
      setAllow('');
    }
  };
  const updateAllow = async (user: string, entries: string[]) => {
    await client.updateUser(user, { allow: entries });
    await items.reload();
  };
  const [switching, setSwitching] = useState<{ name?: string; error?: string }>({});
  const change = async (user: string, body: UpdateUserBody) => {
    setSwitching({ name: user });
    try {
      await client.updateUser(user, body);
      await items.reload();
      setSwitching({});
    } catch (error) {
      setSwitching({ error: (error as Error).message });
    }
  };

  return (
    <section className="card" aria-label="Users">
      <h2>Users</h2>
      <p className="muted small">People who sign in to Canopy. Admins manage servers and identities; users can list and call tools.</p>
      {issued && <TokenOnce issued={issued} onDone={dismissIssued} />}
      <ErrorNote message={items.error ?? rotate.error ?? remove.error ?? switching.error} />
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Role</th>
            <th>Sign-in</th>
            <th>Reaches through OAuth</th>
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.data?.map((user) => (
            <tr key={user.name}>
              <td>{user.name}</td>
              <td>
                {user.role}{' '}
                <Button variant="ghost" busy={switching.name === user.name} onClick={() => void change(user.name, { role: user.role === 'admin' ? 'user' : 'admin' })}>
                  {user.role === 'admin' ? 'Make user' : 'Make admin'}
                </Button>
              </td>
              <td>
                {user.ssoLinked ? `SSO${user.email ? ` (${user.email})` : ''}` : 'token'}
                {user.disabled && <span className="badge">disabled</span>}
              </td>
              <td>
                <AllowListCell owner={user.name} allow={user.allow} onSave={(entries) => updateAllow(user.name, entries)} />
              </td>
              <td>
                <Button variant="ghost" busy={switching.name === user.name} onClick={() => void change(user.name, { disabled: !user.disabled })}>
                  {user.disabled ? 'Enable' : 'Disable'}
                </Button>
                <IdentityActions name={user.name} rotating={rotate.busy} deleting={remove.busy} onRotate={() => rotate.run(user.name)} onDelete={() => remove.run(user.name)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {items.data?.length === 0 && <p className="empty">No users yet.</p>}
      <form className="form form-grid" aria-label="Create a user" onSubmit={submit}>
        <label>
          User name
          <input value={name} required placeholder="alice" onChange={(e) => setName(e.target.value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole(e.target.value as UserRole)}>
            <option value="user">user</option>
            <option value="admin">admin</option>
          </select>
        </label>
        <label className="span-2 inline">
          <input type="checkbox" checked={sso} onChange={(e) => setSso(e.target.checked)} />
          Signs in with the company's SSO (no token; their first SSO login under this name is linked to this user)
        </label>
        <label className="span-2">
          Reachable through OAuth
          <input value={allow} placeholder="* (everything), or github, research" onChange={(e) => setAllow(e.target.value)} />
        </label>
        <ErrorNote message={create.error} />
        <div className="actions span-2">
          <Button type="submit" variant="primary" busy={create.busy}>
            Create user
          </Button>
        </div>
      </form>
    </section>
  );
}
