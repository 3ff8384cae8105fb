// One app: in the desktop app a button that writes its config; in the browser the snippet to copy.
import { useState } from 'react';
import type { StatusView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import type { AppId } from '@core/connect-apps/apps.ts';
import { desktopBridge } from '../../../lib/desktop-bridge.ts';
import { useAction } from '../../../lib/use-action.ts';
import { snippetFor } from '../lib/app-snippets.ts';

export interface AppCardProps {
  app: AppId;
  title: string;
  status: StatusView;
  /** Point the app at the search view instead of every tool. */
  search: boolean;
}

export function AppCard({ app, title, status, search }: AppCardProps) {
  const bridge = desktopBridge();
  const [done, setDone] = useState<string>();
  const connect = useAction(async () => setDone((await bridge!.connectApp(app, { search })).message));
  const snippet = snippetFor(app, { mcpUrl: status.mcpUrl, needsToken: status.mode === 'enterprise', cli: status.cli, search });
  return (
    <section className="card" aria-label={`Connect ${title}`}>
      <h2>{title}</h2>
      {bridge && (
        <div className="actions">
          <Button variant="primary" busy={connect.busy} onClick={() => connect.run()}>
            Connect {title}
          </Button>
        </div>
      )}
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <ErrorNote message={connect.error} />
      {snippet.command && (
        <>
          <p className="muted small">{bridge ? 'Or in a terminal:' : 'In a terminal:'}</p>
          <pre className="code" aria-label={`${title} setup command`}>
            {snippet.command}
          </pre>
          <div className="actions">
            <CopyButton text={snippet.command} label={`Copy ${title} setup command`} />
          </div>
        </>
      )}
      <p className="muted small">
        {bridge || snippet.command ? 'Or by hand: ' : ''}
        {snippet.where}
      </p>
      {snippet.text ? (
        <>
          <pre className="code" aria-label={`${title} configuration`}>
            {snippet.text}
          </pre>
          <div className="actions">
            <CopyButton text={snippet.text} label={`Copy ${title} configuration`} />
          </div>
        </>
      ) : (
        <p className="hint">
          This gateway did not say where its <code>canopy</code> command is installed, so there is no entry to paste:{' '}
          {bridge ? 'use the button above.' : `run canopy setup ${app} on the machine where Canopy is installed.`}
        </p>
      )}
      {snippet.note && <p className="muted small">{snippet.note}</p>}
    </section>
  );
}
