// One app's servers: tick the ones to import, then import them, switch the app to Canopy, or undo.
import { useState } from 'react';
import type { AppScanView, MigrateAppResult } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

export interface AppServersProps {
  app: AppScanView;
  chosen: string[];
  onChoose: (names: string[]) => void;
  /** After a change: scan again. */
  onChanged: () => Promise<void>;
}

function outcomeText(result: MigrateAppResult): string {
  const lines = result.imported.map((outcome) => `${outcome.name}: ${outcome.result.replace('_', ' ')}${outcome.reason ? ` (${outcome.reason})` : ''}`);
  if (result.switched) {
    lines.push(`The app now reaches Canopy: ${result.switched.path} (as it was: ${result.switched.backupPath}).`);
    if (result.switched.restartHint) lines.push(result.switched.restartHint);
  }
  return lines.join(' · ');
}

export function AppServers({ app, chosen, onChoose, onChanged }: AppServersProps) {
  const { client } = useGateway();
  const [done, setDone] = useState<string>();
  const migrate = useAction(async (switchApp: boolean) => {
    const result = await client.migrateApp(app.app, { servers: chosen, switchApp });
    setDone(outcomeText(result));
    await onChanged();
  });
  const undo = useAction(async () => {
    const result = await client.undoMigration(app.app);
    setDone(`Restored ${result.path} as it was before the switch. The servers stay in Canopy.`);
    await onChanged();
  });
  const toggle = (name: string, on: boolean) => onChoose(on ? [...chosen, name] : chosen.filter((other) => other !== name));
  const busy = migrate.busy || undo.busy;

  return (
    <section className="card" aria-label={app.displayName}>
      <h2>
        {app.displayName} {app.connected && <span className="badge badge-ok">uses Canopy</span>}
      </h2>
      <p className="muted small">
        <code className="wrap">{app.path}</code>
      </p>
      <ErrorNote message={app.error} />
      {app.servers.length === 0 ? (
        <p className="muted">{app.connected ? 'Only the Canopy entry: nothing left to move.' : 'No MCP servers.'}</p>
      ) : (
        <table className="table">
          <thead>
            <tr>
              <th>Import</th>
              <th>Server</th>
              <th>Runs</th>
            </tr>
          </thead>
          <tbody>
            {app.servers.map((server) => (
              <tr key={server.name}>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`Import ${server.name} from ${app.displayName}`}
                    checked={chosen.includes(server.name)}
                    disabled={Boolean(server.error) || busy}
                    onChange={(event) => toggle(server.name, event.target.checked)}
                  />
                </td>
                <td>
                  <strong>{server.name}</strong> {server.registered && <span className="badge badge-ok">in Canopy</span>}{' '}
                  {server.alsoIn.length > 0 && <span className="badge badge-warn">also in {server.alsoIn.join(', ')}</span>}
                  {server.secretNames.length > 0 && <div className="muted small">secrets to the keychain: {server.secretNames.join(', ')}</div>}
                  {server.error && <div className="error-note">{server.error}</div>}
                </td>
                <td>
                  <code className="small wrap">{server.target}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="actions">
        {app.servers.length > 0 && (
          <>
            <Button variant="secondary" busy={migrate.busy} disabled={chosen.length === 0 || busy} onClick={() => migrate.run(false)}>
              Import selected
            </Button>
            <Button variant="primary" busy={migrate.busy} disabled={busy} onClick={() => migrate.run(true)} title="Imports the ticked servers and replaces them in the app with the one Canopy entry (a backup is kept)">
              Switch {app.displayName} to Canopy
            </Button>
          </>
        )}
        {app.canUndo && (
          <Button variant="ghost" busy={undo.busy} disabled={busy} onClick={() => undo.run()}>
            Undo the switch
          </Button>
        )}
      </div>
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      <ErrorNote message={migrate.error ?? undo.error} />
    </section>
  );
}
