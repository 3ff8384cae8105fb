// "Connect an app": point Cursor, Claude Desktop, Claude Code or VS Code at Canopy.
import { CopyButton } from '../../../components/CopyButton.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { CONNECTABLE_APPS, TOKEN_PLACEHOLDER } from '../lib/app-snippets.ts';
import { AppCard } from './AppCard.tsx';
import { MoveInSection } from '../../move-in/components/MoveInSection.tsx';

export function ConnectPage() {
  const { status } = useGateway();
  return (
    <div className="page">
      <header className="page-header">
        <h1>Connect an app</h1>
      </header>
      <section className="card" aria-label="MCP endpoint">
        <p>
          Every MCP client reaches all of your servers at <code>{status.mcpUrl}</code> <CopyButton text={status.mcpUrl} label="Copy MCP URL" />
        </p>
        {status.mode === 'enterprise' && (
          <p className="hint">
            This gateway runs in enterprise mode: replace <code>{TOKEN_PLACEHOLDER}</code> with the token of an MCP client created under Clients and
            users.
          </p>
        )}
      </section>
      <div className="grid">
        {CONNECTABLE_APPS.map(({ app, title }) => (
          <AppCard key={app} app={app} title={title} status={status} />
        ))}
      </div>
      {status.mode !== 'enterprise' && <MoveInSection />}
    </div>
  );
}
