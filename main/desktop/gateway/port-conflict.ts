// A taken port is never a silent failure: recognise it, and offer a way out.
import { PortInUseError } from '../../core/index.ts';
import type { ChoiceDialog } from './startup-failure.ts';

export function isPortInUseError(error: unknown): boolean {
  if (error instanceof PortInUseError) return true;
  const { code, cause, message } = (error ?? {}) as { code?: unknown; cause?: unknown; message?: unknown };
  if (code === 'EADDRINUSE') return true;
  if (cause && cause !== error && isPortInUseError(cause)) return true;
  return typeof message === 'string' && /EADDRINUSE|address already in use|port \d+ is (already )?(taken|in use)/i.test(message);
}

export type PortConflictChoice = { kind: 'use-port'; port: number; openSettings: boolean } | { kind: 'quit' };

/** `freePort` undefined: no free port was found nearby, so only quitting is offered. */
export function portConflictDialog(port: number, freePort: number | undefined): ChoiceDialog<PortConflictChoice> {
  const base = {
    title: 'Canopy cannot start',
    message: `Port ${port} is already in use by another program.`,
  };
  if (freePort === undefined) {
    return {
      ...base,
      detail: `Canopy's gateway listens on 127.0.0.1:${port}. Quit the program using it (or Canopy running elsewhere), then open Canopy again.`,
      buttons: ['Quit'],
      choices: [{ kind: 'quit' }],
      defaultId: 0,
      cancelId: 0,
    };
  }
  return {
    ...base,
    detail:
      `Canopy's gateway listens on 127.0.0.1:${port}. It can run on port ${freePort} instead — apps you connected to ` +
      `port ${port} need to be connected again — or you can pick a port in Settings.`,
    buttons: [`Use port ${freePort}`, 'Choose a port in Settings…', 'Quit'],
    choices: [
      { kind: 'use-port', port: freePort, openSettings: false },
      { kind: 'use-port', port: freePort, openSettings: true },
      { kind: 'quit' },
    ],
    defaultId: 0,
    cancelId: 2,
  };
}

/** For the window's port setting: why the new port was not taken. */
export function portChangeRefusedMessage(requested: number, current: number): string {
  return `Port ${requested} is already in use by another program; Canopy stays on port ${current}. Choose another port.`;
}
