// Launch: start the gateway; when that fails, ask the user (taken port → another port or
// Settings; other failure → SQLite, retry, quit) and act on the answer. Never a silent failure.
// The dialogs are shown by the caller (Electron), so this runs in tests against a real gateway.
import type { ChoiceDialog, StartupFailureChoice } from '../gateway/startup-failure.ts';
import { startupFailureDialog } from '../gateway/startup-failure.ts';
import { isPortInUseError, portConflictDialog, type PortConflictChoice } from '../gateway/port-conflict.ts';
import type { StorageChoice } from '../../../preload/canopy-bridge.ts';

export interface StartGatewayDeps {
  start: (port?: number) => Promise<void>;
  port: () => number;
  storage: () => StorageChoice;
  /** Replaces the storage preference (the "use SQLite" way out). */
  useSqlite: () => void;
  nextFreePort: (port: number) => Promise<number | undefined>;
  /** Shows the dialog; resolves with the index of the button pressed. */
  ask: <Choice>(dialog: ChoiceDialog<Choice>) => Promise<number>;
  openSettings: () => void;
}

/** How many times the user can answer before Canopy gives up (each answer restarts the gateway). */
const MAX_ATTEMPTS = 5;

/** Resolves `true` when the gateway runs, `false` when the user chose to quit (or gave up). */
export async function startGatewayInteractively(deps: StartGatewayDeps): Promise<boolean> {
  let port: number | undefined;
  let openSettings = false;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    try {
      await deps.start(port);
      if (openSettings) deps.openSettings();
      return true;
    } catch (error) {
      if (isPortInUseError(error)) {
        const taken = port ?? deps.port();
        const dialog = portConflictDialog(taken, await deps.nextFreePort(taken));
        const choice: PortConflictChoice = dialog.choices[await deps.ask(dialog)] ?? { kind: 'quit' };
        if (choice.kind === 'quit') return false;
        port = choice.port;
        openSettings = choice.openSettings;
        continue;
      }
      const dialog = startupFailureDialog(error instanceof Error ? error : new Error(String(error)), deps.storage());
      const choice: StartupFailureChoice = dialog.choices[await deps.ask(dialog)] ?? { kind: 'quit' };
      if (choice.kind === 'quit') return false;
      if (choice.kind === 'use-sqlite') deps.useSqlite();
    }
  }
  return false;
}
