// The signed-in window: navigation on the left, the current page on the right.
import { Button } from '../components/Button.tsx';
import { ConnectPage } from '../features/connect/components/ConnectPage.tsx';
import { ConnectionsPage } from '../features/connections/components/ConnectionsPage.tsx';
import { GroupsPage } from '../features/groups/components/GroupsPage.tsx';
import { FirstRunPage } from '../features/move-in/components/FirstRunPage.tsx';
import { useFirstRun } from '../features/move-in/hooks/use-first-run.ts';
import { IdentitiesPage } from '../features/identities/components/IdentitiesPage.tsx';
import { ServersPage } from '../features/servers/components/ServersPage.tsx';
import { ResourcesPage } from '../features/resources/components/ResourcesPage.tsx';
import { SettingsPage } from '../features/settings/components/SettingsPage.tsx';
import type { ThemeControls } from '../features/settings/hooks/use-theme.ts';
import { ToolsPage } from '../features/tools/components/ToolsPage.tsx';
import { useGateway } from '../lib/gateway-context.tsx';
import { ROUTES, useHashRoute, type RouteId } from './routes.ts';

function Page({ route, theme, onReconnect }: { route: RouteId; theme: ThemeControls; onReconnect: () => void }) {
  switch (route) {
    case 'servers':
      return <ServersPage />;
    case 'tools':
      return <ToolsPage />;
    case 'resources':
      return <ResourcesPage />;
    case 'groups':
      return <GroupsPage />;
    case 'identities':
      return <IdentitiesPage />;
    case 'connections':
      return <ConnectionsPage />;
    case 'connect':
      return <ConnectPage />;
    case 'settings':
      return <SettingsPage theme={theme} onReconnect={onReconnect} />;
  }
}

export function Shell({ theme, onReconnect }: { theme: ThemeControls; onReconnect: () => void }) {
  const { status, signedIn, signOut } = useGateway();
  const enterprise = status.mode === 'enterprise';
  const routes = ROUTES.filter((route) => enterprise || !route.enterpriseOnly);
  const requested = useHashRoute();
  const route = routes.some((r) => r.id === requested) ? requested : 'servers';
  const firstRun = useFirstRun();
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">
          <span className="logo" aria-hidden="true">
            ◆
          </span>{' '}
          Canopy
          {enterprise && <span className="badge badge-busy">enterprise</span>}
        </div>
        <ul>
          {routes.map((r) => (
            <li key={r.id}>
              <a href={`#/${r.id}`} aria-current={r.id === route ? 'page' : undefined}>
                {r.title}
              </a>
            </li>
          ))}
        </ul>
        <div className="sidebar-footer">
          <code className="small wrap">{status.mcpUrl}</code>
          {signedIn && (
            <Button variant="ghost" onClick={signOut}>
              Sign out
            </Button>
          )}
        </div>
      </nav>
      <main className="content">
        {firstRun.show ? <FirstRunPage scan={firstRun.scan} onClose={firstRun.close} /> : <Page route={route} theme={theme} onReconnect={onReconnect} />}
      </main>
    </div>
  );
}
