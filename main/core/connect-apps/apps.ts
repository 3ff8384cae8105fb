// The MCP client apps Canopy can connect: where each keeps its MCP config and how it reads it.
export const APP_IDS = ['cursor', 'claude-desktop', 'claude-code', 'vscode', 'windsurf', 'zed'] as const;
export type AppId = (typeof APP_IDS)[number];

export interface AppInfo {
  id: AppId;
  displayName: string;
  /** `jsonc` files may hold comments and trailing commas; `json` files must stay strict JSON. */
  format: 'json' | 'jsonc';
  /** What the user must do before the app sees the change; undefined when it reloads by itself. */
  restartHint?: string;
}

export const APPS: Record<AppId, AppInfo> = {
  cursor: {
    id: 'cursor',
    displayName: 'Cursor',
    format: 'json',
    restartHint: 'Restart Cursor (or toggle Canopy in Cursor Settings › MCP) to load it.',
  },
  'claude-desktop': {
    id: 'claude-desktop',
    displayName: 'Claude Desktop',
    format: 'json',
    restartHint: 'Quit and reopen Claude Desktop to load it.',
  },
  'claude-code': {
    id: 'claude-code',
    displayName: 'Claude Code',
    format: 'json',
    restartHint: 'Start a new `claude` session to load it.',
  },
  vscode: { id: 'vscode', displayName: 'VS Code', format: 'jsonc' },
  windsurf: {
    id: 'windsurf',
    displayName: 'Windsurf',
    format: 'json',
    restartHint: 'Press Refresh in Windsurf\'s MCP panel (Cascade › MCP servers) to load it.',
  },
  // Zed keeps its MCP servers ("context servers") in its settings file and reloads it on save.
  zed: { id: 'zed', displayName: 'Zed', format: 'jsonc' },
};

export function isAppId(value: string): value is AppId {
  return (APP_IDS as readonly string[]).includes(value);
}

/** The key Canopy's entry has in every app's server map. */
export const ENTRY_NAME = 'canopy';
