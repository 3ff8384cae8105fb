// When the gateway cannot start for another reason than the port (a database that cannot be
// reached, a broken file): say what failed and offer what can work.
import type { StorageChoice } from '../../../preload/canopy-bridge.ts';
import { describeChoice } from './store-location.ts';

export type StartupFailureChoice = { kind: 'use-sqlite' } | { kind: 'retry' } | { kind: 'quit' };

export interface ChoiceDialog<Choice> {
  title: string;
  message: string;
  detail: string;
  buttons: string[];
  /** The choice behind each button, same order. */
  choices: Choice[];
  defaultId: number;
  cancelId: number;
}

export function startupFailureDialog(error: Error, storage: StorageChoice): ChoiceDialog<StartupFailureChoice> {
  const base = {
    title: 'Canopy cannot start',
    message: `Canopy could not start its gateway on ${describeChoice(storage)}.`,
    detail: error.message,
  };
  if (storage.kind === 'postgres') {
    return {
      ...base,
      detail: `${error.message}\n\nYou can keep your data on this computer instead (your PostgreSQL setting is replaced), try again, or quit.`,
      buttons: ['Use this computer (SQLite)', 'Try again', 'Quit'],
      choices: [{ kind: 'use-sqlite' }, { kind: 'retry' }, { kind: 'quit' }],
      defaultId: 1,
      cancelId: 2,
    };
  }
  return { ...base, buttons: ['Try again', 'Quit'], choices: [{ kind: 'retry' }, { kind: 'quit' }], defaultId: 0, cancelId: 1 };
}
