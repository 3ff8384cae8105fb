// How a connection's state reads on the Connections page.
import type { ConnectionView } from '@core/api/contract.ts';

export function describeConnection(connection: ConnectionView): { label: string; tone: 'ok' | 'warn' | 'off'; hint: string } {
  const how = connection.kind === 'oauth' ? 'with OAuth' : 'with a personal token';
  switch (connection.status) {
    case 'connected':
      return { label: 'connected', tone: 'ok', hint: `Your calls use your own account (connected ${how}).` };
    case 'needs_reauthorization':
      return { label: 'needs re-authorization', tone: 'warn', hint: `The server refused what you connected ${how}: connect it again.` };
    case 'not_connected':
      return { label: 'not connected', tone: 'off', hint: 'Its tools answer you only once you connect your own account.' };
  }
}
