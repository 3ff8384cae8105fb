// What to put in each app's MCP config to reach Canopy, for the web UI (the desktop app writes the
// files itself). The entry is the same one `canopy setup` writes; in enterprise mode the app needs an
// MCP-client token, shown as a placeholder.
import { APP_IDS, APPS, ENTRY_NAME, type AppId } from '../../../../../main/core/connect-apps/apps.ts';
import { canopyEntry, serversKey } from '../../../../../main/core/connect-apps/entry.ts';

export const CONNECTABLE_APPS = APP_IDS.map((app) => ({ app, title: APPS[app].displayName }));

export const TOKEN_PLACEHOLDER = '<MCP client token>';

const WHERE: Record<AppId, string> = {
  cursor: 'Merge into ~/.cursor/mcp.json (or .cursor/mcp.json in a project); or run: canopy setup cursor',
  'claude-desktop': 'Merge into claude_desktop_config.json (Claude → Settings → Developer → Edit Config); or run: canopy setup claude-desktop',
  'claude-code': 'Merge into ~/.claude.json; or run: canopy setup claude-code',
  vscode: 'Merge into your user mcp.json (Command Palette → "MCP: Open User Configuration"); or run: canopy setup vscode',
};

export interface AppSnippet {
  where: string;
  text: string;
  /** What to do after, when the app does not reload by itself. */
  note?: string;
}

export function snippetFor(app: AppId, { mcpUrl, needsToken }: { mcpUrl: string; needsToken: boolean }): AppSnippet {
  const entry = canopyEntry(app, { url: mcpUrl, token: needsToken ? TOKEN_PLACEHOLDER : undefined, bridge: { command: 'canopy', args: [] } });
  return {
    where: WHERE[app],
    text: JSON.stringify({ [serversKey(app)]: { [ENTRY_NAME]: entry } }, null, 2),
    note: APPS[app].restartHint,
  };
}
