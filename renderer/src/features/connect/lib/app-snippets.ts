// What to put in each app's MCP config to reach Canopy, for the web UI (the desktop app writes the
// files itself). The entry is the same one `canopy setup` writes; in enterprise mode the app needs an
// MCP-client token, shown as a placeholder. Everything shown must work when pasted: commands use the
// gateway's own `canopy` launcher (absolute paths) from the status, never a bare name.
import type { CliLaunch } from '@core/api/contract.ts';
import { APP_IDS, APPS, ENTRY_NAME, type AppId } from '@core/connect-apps/apps.ts';
import { canopyEntry, serversKey } from '@core/connect-apps/entry.ts';

export const CONNECTABLE_APPS = APP_IDS.map((app) => ({ app, title: APPS[app].displayName }));

export const TOKEN_PLACEHOLDER = '<MCP client token>';

const WHERE: Record<AppId, string> = {
  cursor: 'Merge into ~/.cursor/mcp.json (or .cursor/mcp.json in a project)',
  'claude-desktop': 'Merge into claude_desktop_config.json (Claude → Settings → Developer → Edit Config)',
  'claude-code': 'Merge into ~/.claude.json',
  vscode: 'Merge into your user mcp.json (Command Palette → "MCP: Open User Configuration")',
  windsurf: 'Merge into ~/.codeium/windsurf/mcp_config.json (Cascade → MCP servers → Configure)',
  zed: 'Merge into your Zed settings.json (Command Palette → "zed: open settings")',
};

export interface AppSnippet {
  where: string;
  /** The config entry to paste; undefined when the gateway did not say how to launch its `canopy` command. */
  text?: string;
  /** A terminal command that does the same (`canopy setup APP`), when the gateway has a CLI. */
  command?: string;
  /** What to do after, when the app does not reload by itself. */
  note?: string;
}

export interface SnippetContext {
  mcpUrl: string;
  needsToken: boolean;
  cli?: CliLaunch;
  /** Point the app at the search view (`/mcp/search`: search_tools and call_tool) instead of `/mcp`. */
  search?: boolean;
}

/** The gateway's base URL from its MCP URL (`…/mcp`). */
function gatewayUrl(mcpUrl: string): string {
  return mcpUrl.replace(/\/mcp$/, '');
}

export function snippetFor(app: AppId, { mcpUrl, needsToken, cli, search = false }: SnippetContext): AppSnippet {
  const token = needsToken ? TOKEN_PLACEHOLDER : undefined;
  const url = search ? `${mcpUrl}/search` : mcpUrl;
  // Only Claude Desktop's entry launches a program; the others are just the URL.
  const launchable = app !== 'claude-desktop' || cli !== undefined;
  const entry = launchable ? canopyEntry(app, { url, token, bridge: cli?.launcher ?? { command: '', args: [] } }) : undefined;
  return {
    where: WHERE[app],
    ...(entry ? { text: JSON.stringify({ [serversKey(app)]: { [ENTRY_NAME]: entry } }, null, 2) } : {}),
    ...(cli?.commandLine ? { command: `${cli.commandLine} --registry ${gatewayUrl(mcpUrl)} setup ${app}${search ? ' --search' : ''}` } : {}),
    note: APPS[app].restartHint,
  };
}
