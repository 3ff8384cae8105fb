// Connections: the servers whose calls use each person's own account ("credentials": "per_user"),
// and the signed-in user's state with each. A link from an MCP client's "connect your account"
// prompt lands here with ?server=NAME, which is shown first.
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { hashParam } from '../../../app/routes.ts';
import { useConnections } from '../hooks/use-connections.ts';
import { ConnectionCard } from './ConnectionCard.tsx';

export function ConnectionsPage() {
  const { connections, ...actions } = useConnections();
  const asked = hashParam('server');
  const listed = [...(connections.data ?? [])].sort((a, b) => Number(b.server === asked) - Number(a.server === asked));
  return (
    <div className="page">
      <header className="page-header">
        <h1>Connections</h1>
        <Button variant="ghost" busy={connections.loading} onClick={() => connections.reload()}>
          Refresh connections
        </Button>
      </header>
      <p className="muted small">These servers answer each person with their own account. Connect yours once; your MCP clients then use it, and nobody else can.</p>
      <ErrorNote message={connections.error} />
      {connections.data?.length === 0 && <p className="empty">No server here uses per-user accounts.</p>}
      <ul className="item-list" aria-label="Connections">
        {listed.map((connection) => (
          <ConnectionCard key={connection.server} connection={connection} highlighted={connection.server === asked} actions={actions} />
        ))}
      </ul>
    </div>
  );
}
