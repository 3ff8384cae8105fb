// What the user is told after connecting an app, the same words in the CLI and the desktop app.
import type { ConnectAppResult } from './connect.ts';

function connectSummary(result: ConnectAppResult): string {
  const { displayName, path } = result;
  if (result.outcome === 'unchanged') return `Canopy is already set up in ${displayName} (${path}); nothing to do.`;
  const verb = result.outcome === 'updated' ? 'update Canopy in' : 'add Canopy to';
  if (result.dryRun) return `Dry run: would ${verb} ${displayName} in ${path}. Nothing was written.`;
  const done = result.outcome === 'updated' ? 'Updated Canopy in' : 'Added Canopy to';
  const backup = result.backupPath ? ` (backup: ${result.backupPath})` : '';
  return `${done} ${displayName}: ${path}${backup}.`;
}

/** Summary, then the restart hint when the app needs one; for dialogs and CLI output. */
export function connectMessage(result: ConnectAppResult): string {
  const lines = [connectSummary(result)];
  if (result.restartHint && !result.dryRun) lines.push(result.restartHint);
  return lines.join('\n');
}
