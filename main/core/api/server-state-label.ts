// A server's state in words, the same in the CLI, the window and the tray (each adds its own detail).
// Pure: the renderer imports it too.
import type { ServerView } from './contract.ts';

/** "disabled", "running", "sleeping", "starting", "stopped", "crashed 3×", "error", "needs authorization". */
export function serverStateLabel({ enabled, state }: Pick<ServerView, 'enabled' | 'state'>): string {
  if (!enabled) return 'disabled';
  switch (state.status) {
    case 'crashed':
      return `crashed ${state.crashes}×`;
    case 'needs_authorization':
      return 'needs authorization';
    default:
      return state.status;
  }
}
