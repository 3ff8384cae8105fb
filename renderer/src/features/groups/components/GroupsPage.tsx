// Tool groups: each one an MCP endpoint (/groups/NAME/mcp) offering a chosen set of servers and tools.
import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { countOf } from '../../../lib/plural.ts';
import { useGroups } from '../hooks/use-groups.ts';
import { emptyGroup, formOf } from '../lib/group-form.ts';
import { GroupForm } from './GroupForm.tsx';

/** One line of a group's lists; nothing when the list is empty. */
function NamesRow({ label, names }: { label: string; names: string[] }) {
  if (names.length === 0) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>
        <code className="wrap">{names.join(', ')}</code>
      </dd>
    </>
  );
}

export function GroupsPage() {
  const { groups, save, remove } = useGroups();
  const [editing, setEditing] = useState<string>();

  return (
    <div className="page">
      <header className="page-header">
        <h1>Groups</h1>
        <Button variant="ghost" busy={groups.loading} onClick={() => groups.reload()}>
          Refresh groups
        </Button>
      </header>
      <p className="muted small">A group is its own MCP endpoint offering only the servers and tools it includes. Give an app the group's URL.</p>
      <ErrorNote message={groups.error ?? remove.error} />
      {groups.data?.length === 0 && <p className="empty">No groups yet.</p>}
      <ul className="item-list" aria-label="Groups">
        {groups.data?.map((group) => (
          <li key={group.name} className="card" aria-label={`Group ${group.name}`}>
            {editing === group.name ? (
              <GroupForm
                initial={formOf(group)}
                editing={group.name}
                busy={save.busy}
                error={save.error}
                onSave={async (config) => {
                  const saved = await save.run(config, group.name);
                  if (saved) setEditing(undefined);
                  return saved;
                }}
                onCancel={() => setEditing(undefined)}
              />
            ) : (
              <>
                <header className="detail-header">
                  <h2>{group.name}</h2>
                  <span className="muted small">
                    {countOf(group.includedServers.length, 'server')}, {countOf(group.includedTools.length, 'tool')}
                    {group.excludedTools.length > 0 && `, ${group.excludedTools.length} excluded`}
                  </span>
                </header>
                {group.description && <p className="description">{group.description}</p>}
                <dl className="group-lists small">
                  <NamesRow label="Servers" names={group.includedServers} />
                  <NamesRow label="Tools" names={group.includedTools} />
                  <NamesRow label="Excluded" names={group.excludedTools} />
                </dl>
                <p className="small">
                  <code className="wrap">{group.mcpUrl}</code> <CopyButton text={group.mcpUrl} label="Copy URL" />
                </p>
                <div className="actions">
                  <Button onClick={() => setEditing(group.name)}>Edit</Button>
                  <ConfirmButton label="Delete" question={`Delete group ${group.name}?`} confirmLabel="Delete group" busy={remove.busy} onConfirm={() => void remove.run(group.name)} />
                </div>
              </>
            )}
          </li>
        ))}
      </ul>
      <section className="card" aria-label="New group">
        <h2>New group</h2>
        <GroupForm initial={emptyGroup} busy={save.busy && editing === undefined} error={editing === undefined ? save.error : undefined} onSave={(config) => save.run(config)} />
      </section>
    </div>
  );
}
