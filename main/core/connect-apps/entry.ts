// The entry Canopy adds to an app's MCP config: the HTTP endpoint for apps that speak streamable
// HTTP, the stdio bridge for Claude Desktop (which only launches stdio servers).
import type { AppId } from './apps.ts';

/** How to launch `canopy stdio-bridge`: the program and the arguments that come before the subcommand. */
export interface BridgeLauncher {
  command: string;
  args: string[];
  /** Extra environment the launcher itself needs (e.g. ELECTRON_RUN_AS_NODE for the desktop app). */
  env?: Record<string, string>;
}

export interface EntryOptions {
  /** The gateway's MCP endpoint, e.g. http://127.0.0.1:7450/mcp. */
  url: string;
  /** Set when the gateway requires a bearer token. */
  token?: string;
  bridge: BridgeLauncher;
}

/** Where the entry lives inside the app's config file. */
export function serversKey(app: AppId): 'mcpServers' | 'servers' | 'context_servers' {
  if (app === 'vscode') return 'servers';
  return app === 'zed' ? 'context_servers' : 'mcpServers';
}

function authHeaders(token: string | undefined): { headers?: Record<string, string> } {
  return token ? { headers: { Authorization: `Bearer ${token}` } } : {};
}

export function canopyEntry(app: AppId, { url, token, bridge }: EntryOptions): Record<string, unknown> {
  switch (app) {
    case 'cursor':
      return { url, ...authHeaders(token) };
    case 'vscode':
    case 'claude-code':
      return { type: 'http', url, ...authHeaders(token) };
    case 'windsurf':
      // Windsurf reads a remote server's address from `serverUrl`; a `url` field does not connect.
      return { serverUrl: url, ...authHeaders(token) };
    case 'zed':
      // Zed tells its own extension-provided servers from user-configured ones by `source`.
      return { source: 'custom', url, ...authHeaders(token) };
    case 'claude-desktop': {
      // The token goes through the environment, not argv, so it does not show in process lists.
      const env = { ...bridge.env, ...(token ? { CANOPY_TOKEN: token } : {}) };
      return {
        command: bridge.command,
        args: [...bridge.args, 'stdio-bridge', '--url', url],
        ...(Object.keys(env).length > 0 ? { env } : {}),
      };
    }
  }
}
