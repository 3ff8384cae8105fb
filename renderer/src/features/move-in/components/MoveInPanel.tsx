// The servers the user's apps hold, app by app, to move into Canopy (first run, and "Connect an app").
import { useEffect, useState } from 'react';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import type { Resource } from '../../../lib/use-resource.ts';
import type { SetupScanView } from '@core/api/contract.ts';
import { defaultChoice, type Choice } from '../lib/default-choice.ts';
import { AppServers } from './AppServers.tsx';

export function MoveInPanel({ scan }: { scan: Resource<SetupScanView> }) {
  const [choice, setChoice] = useState<Choice>({});
  const apps = scan.data?.apps;
  // A fresh scan (after an import or an undo) starts from the default choice again.
  useEffect(() => {
    if (apps) setChoice(defaultChoice(apps));
  }, [apps]);

  if (!apps) return scan.error ? <ErrorNote message={scan.error} /> : <Spinner label="Looking for your apps' MCP servers" />;
  const found = apps.filter((app) => app.found);
  const missing = apps.filter((app) => !app.found);
  return (
    <div className="page">
      {found.length === 0 && <p className="muted">None of your apps has an MCP config on this computer yet.</p>}
      <div className="grid">
        {found.map((app) => (
          <AppServers
            key={app.app}
            app={app}
            chosen={choice[app.app] ?? []}
            onChoose={(names) => setChoice((current) => ({ ...current, [app.app]: names }))}
            onChanged={scan.reload}
          />
        ))}
      </div>
      {missing.length > 0 && <p className="muted small">No MCP config found for {missing.map((app) => app.displayName).join(', ')}.</p>}
      <ErrorNote message={scan.error} />
    </div>
  );
}
