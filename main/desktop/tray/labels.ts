// Words the tray shows: the status line and each server's state.
import type { ServerView } from '../../core/api/contract.ts';
import { serverStateLabel } from '../../core/api/server-state-label.ts';

export type TrayServer = Pick<ServerView, 'name' | 'enabled' | 'state' | 'toolCount'>;

export type GatewayPhase =
  | { phase: 'starting' }
  | { phase: 'running'; mcpUrl: string }
  | { phase: 'stopping' }
  | { phase: 'stopped' }
  | { phase: 'failed'; message: string };

/** e.g. "running · 12 tools", "sleeping · 9 tools", "crashed 2×, retrying", "needs authorization", "disabled". */
export function trayStateLabel(server: TrayServer): string {
  const label = serverStateLabel(server);
  if (!server.enabled) return label;
  if (server.state.status === 'running' || server.state.status === 'sleeping') return `${label} · ${server.toolCount} ${server.toolCount === 1 ? 'tool' : 'tools'}`;
  if (server.state.status === 'crashed') return `${label}, retrying`;
  return label;
}

export function serverItemLabel(server: TrayServer): string {
  return `${server.name} — ${trayStateLabel(server)}`;
}

/** A server the user has to act on. */
export function needsAttention({ enabled, state }: TrayServer): boolean {
  return enabled && (state.status === 'error' || state.status === 'crashed' || state.status === 'needs_authorization');
}

export function statusLine(gateway: GatewayPhase): string {
  switch (gateway.phase) {
    case 'starting':
      return 'Canopy is starting…';
    case 'running':
      return `Canopy is running: ${gateway.mcpUrl}`;
    case 'stopping':
      return 'Canopy is stopping…';
    case 'stopped':
      return 'Canopy is stopped';
    case 'failed':
      return `Canopy is not running: ${gateway.message}`;
  }
}

/** The tray icon's hover text. */
export function trayTooltip(gateway: GatewayPhase, servers: TrayServer[]): string {
  const problems = servers.filter(needsAttention).length;
  return problems > 0 ? `${statusLine(gateway)}\n${problems} server${problems === 1 ? ' needs' : 's need'} attention` : statusLine(gateway);
}
