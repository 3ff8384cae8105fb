// The tray menu model, its labels and icons, for the states a user meets.
import { describe, expect, it } from 'vitest';
import { buildTrayMenu, type TrayItem, type TrayState } from '../../main/desktop/tray/menu-model.ts';
import { serverItemLabel, trayStateLabel, statusLine, trayTooltip, type TrayServer } from '../../main/desktop/tray/labels.ts';
import { allTrayIconFiles, trayIconFile } from '../../main/desktop/tray/icons.ts';
import type { UpstreamState } from '../../main/core/upstream/types.ts';

const MCP_URL = 'http://127.0.0.1:7450/mcp';
const since = '2025-01-01T00:00:00.000Z';

function server(name: string, state: Partial<UpstreamState> & Pick<UpstreamState, 'status'>, extra: Partial<TrayServer> = {}): TrayServer {
  return { name, enabled: true, toolCount: 3, state: { crashes: 0, since, ...state }, ...extra };
}

const servers: TrayServer[] = [
  server('memory', { status: 'running' }, { toolCount: 9 }),
  server('github', { status: 'needs_authorization' }),
  server('flaky', { status: 'crashed', crashes: 2, lastError: 'exited with code 1' }),
  server('broken', { status: 'error', lastError: 'command not found: uvx' }),
  server('slow', { status: 'starting' }),
  server('idle', { status: 'stopped' }),
  server('off', { status: 'stopped' }, { enabled: false }),
];

const running = (extra: Partial<TrayState> = {}): TrayState => ({
  gateway: { phase: 'running', mcpUrl: MCP_URL },
  servers,
  startAtLogin: false,
  ...extra,
});

function find(items: TrayItem[], label: string | RegExp): TrayItem {
  const item = items.find((candidate) => 'label' in candidate && (typeof label === 'string' ? candidate.label === label : label.test(candidate.label)));
  if (!item) throw new Error(`no item ${label} in ${JSON.stringify(items.map((i) => ('label' in i ? i.label : '---')))}`);
  return item;
}

describe('labels', () => {
  it('names every state the way the tray shows it', () => {
    expect(servers.map(trayStateLabel)).toEqual([
      'running · 9 tools',
      'needs authorization',
      'crashed 2×, retrying',
      'error',
      'starting',
      'stopped',
      'disabled',
    ]);
    expect(trayStateLabel(server('one', { status: 'running' }, { toolCount: 1 }))).toBe('running · 1 tool');
    expect(trayStateLabel(server('idle', { status: 'sleeping' }, { toolCount: 9 }))).toBe('sleeping · 9 tools');
    expect(serverItemLabel(servers[0])).toBe('memory — running · 9 tools');
  });

  it('puts the MCP URL in the status line', () => {
    expect(statusLine({ phase: 'running', mcpUrl: MCP_URL })).toBe(`Canopy is running: ${MCP_URL}`);
    expect(statusLine({ phase: 'starting' })).toBe('Canopy is starting…');
    expect(statusLine({ phase: 'failed', message: 'port 7450 is in use' })).toBe('Canopy is not running: port 7450 is in use');
    expect(trayTooltip({ phase: 'running', mcpUrl: MCP_URL }, servers)).toBe(`Canopy is running: ${MCP_URL}\n3 servers need attention`);
  });
});

describe('menu model', () => {
  it('running: status line, one checkbox per server (sorted), actions, connect submenu, start at login, quit', () => {
    const items = buildTrayMenu(running());
    expect(items[0]).toEqual({ type: 'label', label: `Canopy is running: ${MCP_URL}` });
    const checkboxes = items.filter((item) => item.type === 'checkbox');
    expect(checkboxes.map((item) => item.label)).toEqual([
      'broken — error',
      'flaky — crashed 2×, retrying',
      'github — needs authorization',
      'idle — stopped',
      'memory — running · 9 tools',
      'off — disabled',
      'slow — starting',
      'Start at login',
    ]);
    expect(find(items, 'memory — running · 9 tools')).toMatchObject({ checked: true, enabled: true, action: { kind: 'toggle-server', name: 'memory', enabled: false } });
    expect(find(items, 'off — disabled')).toMatchObject({ checked: false, action: { kind: 'toggle-server', name: 'off', enabled: true } });
    expect(find(items, 'broken — error')).toMatchObject({ detail: 'command not found: uvx' });
    expect(find(items, /Authorize github/)).toMatchObject({ type: 'action', action: { kind: 'open-window', route: '/servers/github' } });
    expect(find(items, /Show flaky's log/)).toMatchObject({ action: { kind: 'open-window', route: '/servers/flaky' } });
    expect(find(items, 'Copy MCP URL')).toMatchObject({ enabled: true, action: { kind: 'copy-mcp-url', url: MCP_URL } });
    expect(find(items, 'Open Canopy')).toMatchObject({ enabled: true, action: { kind: 'open-window' } });
    const connect = find(items, 'Connect an app');
    expect(connect.type === 'submenu' && connect.items.map((item) => ('label' in item ? item.label : ''))).toEqual([
      'Cursor…',
      'Claude Desktop…',
      'Claude Code…',
      'VS Code…',
      'Windsurf…',
      'Zed…',
    ]);
    expect(find(items, 'Start at login')).toMatchObject({ checked: false, action: { kind: 'set-start-at-login', value: true } });
    expect(items[items.length - 1]).toMatchObject({ label: 'Quit Canopy', action: { kind: 'quit' }, enabled: true });
  });

  it('a toggle in flight disables that checkbox only', () => {
    const items = buildTrayMenu(running({ pending: new Set(['memory']) }));
    expect(find(items, /^memory/)).toMatchObject({ enabled: false });
    expect(find(items, /^idle/)).toMatchObject({ enabled: true });
  });

  it('starting or failed: servers and URL actions wait, quit and start at login stay', () => {
    for (const gateway of [{ phase: 'starting' as const }, { phase: 'failed' as const, message: 'port 7450 is in use' }]) {
      const items = buildTrayMenu({ gateway, servers: [], startAtLogin: true });
      expect(find(items, 'Copy MCP URL')).toMatchObject({ enabled: false });
      expect(find(items, 'Open Canopy')).toMatchObject({ enabled: false });
      expect(find(items, 'Connect an app')).toMatchObject({ enabled: false });
      expect(find(items, 'Start at login')).toMatchObject({ enabled: true, checked: true, action: { value: false } });
      expect(find(items, 'Quit Canopy')).toMatchObject({ enabled: true });
    }
  });

  it('no servers yet: one item that opens the servers page', () => {
    const items = buildTrayMenu(running({ servers: [] }));
    expect(find(items, /No servers yet/)).toMatchObject({ action: { kind: 'open-window', route: '/servers' } });
    expect(items.filter((item) => item.type === 'checkbox')).toHaveLength(1);
  });

  it('a server name with odd characters gets an encoded route', () => {
    const items = buildTrayMenu(running({ servers: [server('a_b-c', { status: 'needs_authorization' })] }));
    expect(find(items, /Authorize a_b-c/)).toMatchObject({ action: { route: '/servers/a_b-c' } });
  });
});

describe('tray icons', () => {
  it('template images on macOS, .ico on Windows, light/dark PNGs on Linux, with an attention variant', () => {
    expect(trayIconFile('darwin', { darkPanel: true, attention: false })).toBe('trayTemplate.png');
    expect(trayIconFile('darwin', { darkPanel: false, attention: true })).toBe('tray-attentionTemplate.png');
    expect(trayIconFile('win32', { darkPanel: true, attention: false })).toBe('tray.ico');
    expect(trayIconFile('linux', { darkPanel: true, attention: false })).toBe('tray-dark.png');
    expect(trayIconFile('linux', { darkPanel: false, attention: true })).toBe('tray-attention-light.png');
    expect(allTrayIconFiles()).toHaveLength(8);
  });
});
