// "Connect an app": point Cursor, Claude Desktop, Claude Code, VS Code, Windsurf or Zed at Canopy — at
// every tool (/mcp) or at the search view (/mcp/search), which keeps a large catalog out of the model's context.
import { useState } from 'react';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { CONNECTABLE_APPS, TOKEN_PLACEHOLDER } from '../lib/app-snippets.ts';
import { AppCard } from './AppCard.tsx';
import { MoveInSection } from '../../move-in/components/MoveInSection.tsx';

export function ConnectPage() {
  const { status } = useGateway();
  const [search, setSearch] = useState(false);
  return (
    <div className="page">
      <header className="page-header">
        <h1>Connect an app</h1>
      </header>
      <section className="card" aria-label="MCP endpoint">
        <p>
          Every MCP client reaches all of your servers at <code>{status.mcpUrl}</code> <CopyButton text={status.mcpUrl} label="Copy MCP URL" />
        </p>
        <fieldset className="radio-group">
          <legend>What the app lists</legend>
          <label className="inline">
            <input type="radio" name="endpoint" checked={!search} onChange={() => setSearch(false)} />
            Every tool (<code>/mcp</code>)
          </label>
          <label className="inline">
            <input type="radio" name="endpoint" checked={search} onChange={() => setSearch(true)} />
            Two tools that search and call all the others (<code>/mcp/search</code>: for many servers, or clients that cap their tools)
          </label>
        </fieldset>
        {status.mode === 'enterprise' && (
          <p className="hint">
            This gateway runs in enterprise mode: replace <code>{TOKEN_PLACEHOLDER}</code> with the token of an MCP client created under Clients and
            users.
          </p>
        )}
      </section>
      <div className="grid">
        {CONNECTABLE_APPS.map(({ app, title }) => (
          <AppCard key={app} app={app} title={title} status={status} search={search} />
        ))}
      </div>
      {status.mode !== 'enterprise' && <MoveInSection />}
    </div>
  );
}
