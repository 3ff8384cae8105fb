// Port and start at login: desktop preferences. The browser shows where to change them instead.
import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Switch } from '../../../components/Switch.tsx';
import type { CanopyBridge, DesktopPreferences, PreferencesPatch } from '../../../lib/desktop-bridge.ts';
import { useDesktopPreferences } from '../hooks/use-desktop-preferences.ts';

function DesktopGeneral({ bridge }: { bridge: CanopyBridge }) {
  const { preferences, save } = useDesktopPreferences(bridge);
  const loaded = preferences.data;
  return (
    <>
      <ErrorNote message={preferences.error ?? save.error} />
      {loaded && <DesktopGeneralForm key={loaded.port} loaded={loaded} busy={save.busy} save={save.run} />}
    </>
  );
}

interface DesktopGeneralFormProps {
  loaded: DesktopPreferences;
  busy: boolean;
  save: (patch: PreferencesPatch) => Promise<unknown>;
}

function DesktopGeneralForm({ loaded, busy, save }: DesktopGeneralFormProps) {
  const [port, setPort] = useState(String(loaded.port));
  const portNumber = Number(port);
  const portValid = Number.isInteger(portNumber) && portNumber >= 1 && portNumber <= 65535;
  return (
    <>
      <div className="inline-form">
        <label>
          Port
          <input type="number" min={1} max={65535} value={port} onChange={(e) => setPort(e.target.value)} />
        </label>
        <Button busy={busy} disabled={!portValid || portNumber === loaded.port} onClick={() => save({ port: portNumber })}>
          Save port
        </Button>
      </div>
      {!portValid && <ErrorNote message="The port must be a number from 1 to 65535." />}
      <p className="muted small">Changing the port restarts the gateway; update the apps you connected (Connect an app).</p>
      <Switch label="Start Canopy at login" checked={loaded.startAtLogin} busy={busy} onChange={(startAtLogin) => save({ startAtLogin })} />
    </>
  );
}

export function GeneralSection({ bridge }: { bridge: CanopyBridge | undefined }) {
  return (
    <section className="card" aria-label="General">
      <h2>General</h2>
      {bridge ? (
        <DesktopGeneral bridge={bridge} />
      ) : (
        <p className="muted">
          This gateway listens on port <strong>{window.location.port || (window.location.protocol === 'https:' ? '443' : '80')}</strong>. Change
          it with <code>canopy serve --port N</code> (or <code>CANOPY_PORT</code>); "Start at login" needs the Canopy desktop app.
        </p>
      )}
    </section>
  );
}
