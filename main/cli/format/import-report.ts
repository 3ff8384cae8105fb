// `canopy import`: one line per entry of the file (✓ registered, = unchanged, ! needs the user,
// ✗ failed and why), then a summary.
import type { Transport } from '../../core/config/server-config.ts';
import { plural } from './server-summary.ts';

export type ImportOutcome =
  | { name: string; result: 'registered'; transport: Transport; toolCount: number; enabled: boolean }
  | { name: string; result: 'unchanged'; transport: Transport }
  | { name: string; result: 'needs_authorization'; transport: Transport }
  | { name: string; result: 'failed'; reason: string };

export function formatImportOutcome(outcome: ImportOutcome): string {
  switch (outcome.result) {
    case 'registered':
      return `✓ ${outcome.name} (${outcome.transport}): ${outcome.enabled ? plural(outcome.toolCount, 'tool') : 'registered disabled'}`;
    case 'unchanged':
      return `= ${outcome.name} (${outcome.transport}): already registered with this config, unchanged`;
    case 'needs_authorization':
      return `! ${outcome.name} (${outcome.transport}): registered, needs authorization: run \`canopy authorize ${outcome.name}\``;
    case 'failed':
      return `✗ ${outcome.name}: ${outcome.reason}`;
  }
}

export function importFailures(outcomes: ImportOutcome[]): number {
  return outcomes.filter((outcome) => outcome.result === 'failed').length;
}

/** The closing line; an error message when any entry failed. */
export function importSummary(outcomes: ImportOutcome[]): string {
  const failed = importFailures(outcomes);
  if (outcomes.length === 0) return 'the file lists no servers';
  const unchanged = outcomes.filter((outcome) => outcome.result === 'unchanged').length;
  const imported = outcomes.length - unchanged - failed;
  const parts = [...(imported > 0 || unchanged === 0 ? [`imported ${plural(imported, 'server')}`] : []), ...(unchanged > 0 ? [`${unchanged} unchanged`] : [])];
  if (failed === 0) return parts.join(', ');
  return `${failed} of ${plural(outcomes.length, 'server')} could not be imported`;
}
