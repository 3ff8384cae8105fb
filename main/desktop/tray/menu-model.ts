// The tray menu as plain data, computed from state. tray/electron-menu.ts turns it into a Menu.
import { APP_IDS, APPS, type AppId } from '../../core/connect-apps/apps.ts';
import { needsAttention, serverItemLabel, statusLine, type GatewayPhase, type TrayServer } from './labels.ts';

export type TrayAction =
  | { kind: 'toggle-server'; name: string; enabled: boolean }
  | { kind: 'copy-mcp-url'; url: string }
  | { kind: 'open-window'; route?: string }
  | { kind: 'connect-app'; app: AppId }
  | { kind: 'set-start-at-login'; value: boolean }
  | { kind: 'install-cli' }
  | { kind: 'quit' };

export type TrayItem =
  | { type: 'label'; label: string }
  | { type: 'separator' }
  | { type: 'action'; label: string; action: TrayAction; enabled: boolean; detail?: string }
  | { type: 'checkbox'; label: string; checked: boolean; action: TrayAction; enabled: boolean; detail?: string }
  | { type: 'submenu'; label: string; enabled: boolean; items: TrayItem[] };

export interface TrayState {
  gateway: GatewayPhase;
  servers: TrayServer[];
  startAtLogin: boolean;
  /** Servers whose toggle is in flight: their checkbox waits. */
  pending?: ReadonlySet<string>;
}

/** The window's route for one server (the renderer's hash router). */
export function serverRoute(name: string): string {
  return `/servers/${encodeURIComponent(name)}`;
}

function serverItems(state: TrayState, running: boolean): TrayItem[] {
  if (state.servers.length === 0) {
    return [{ type: 'action', label: 'No servers yet: add one…', action: { kind: 'open-window', route: '/servers' }, enabled: true }];
  }
  const sorted = [...state.servers].sort((a, b) => a.name.localeCompare(b.name));
  return sorted.flatMap((server): TrayItem[] => {
    const checkbox: TrayItem = {
      type: 'checkbox',
      label: serverItemLabel(server),
      checked: server.enabled,
      // Checking enables; the click already carries the wanted value.
      action: { kind: 'toggle-server', name: server.name, enabled: !server.enabled },
      enabled: running && !state.pending?.has(server.name),
      ...(server.enabled && server.state.lastError ? { detail: server.state.lastError } : {}),
    };
    if (!needsAttention(server)) return [checkbox];
    const fix = server.state.status === 'needs_authorization' ? `Authorize ${server.name}…` : `Show ${server.name}'s log…`;
    return [checkbox, { type: 'action', label: `    ${fix}`, action: { kind: 'open-window', route: serverRoute(server.name) }, enabled: running }];
  });
}

export function buildTrayMenu(state: TrayState): TrayItem[] {
  const running = state.gateway.phase === 'running';
  const mcpUrl = state.gateway.phase === 'running' ? state.gateway.mcpUrl : '';
  return [
    { type: 'label', label: statusLine(state.gateway) },
    { type: 'separator' },
    ...serverItems(state, running),
    { type: 'separator' },
    { type: 'action', label: 'Copy MCP URL', action: { kind: 'copy-mcp-url', url: mcpUrl }, enabled: running },
    { type: 'action', label: 'Open Canopy', action: { kind: 'open-window' }, enabled: running },
    {
      type: 'submenu',
      label: 'Connect an app',
      enabled: running,
      items: APP_IDS.map((app) => ({ type: 'action', label: `${APPS[app].displayName}…`, action: { kind: 'connect-app', app }, enabled: running })),
    },
    { type: 'action', label: 'Put `canopy` on PATH…', action: { kind: 'install-cli' }, enabled: true },
    { type: 'separator' },
    { type: 'checkbox', label: 'Start at login', checked: state.startAtLogin, action: { kind: 'set-start-at-login', value: !state.startAtLogin }, enabled: true },
    { type: 'action', label: 'Quit Canopy', action: { kind: 'quit' }, enabled: true },
  ];
}
