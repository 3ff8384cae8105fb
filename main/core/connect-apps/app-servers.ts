// Reads the servers an app's config holds, in each app's own dialect, as import entries. Most apps
// use the Claude Desktop shape (`command`/`args`/`env`, or `url`/`serverUrl` + `headers`); Zed's
// `context_servers` also has its own extension-run servers and an older nested command shape.
import { parseMcpServersFile, type ImportEntry } from '../config/mcp-servers-file.ts';
import type { AppId } from './apps.ts';
import { serversKey } from './entry.ts';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const ZED_EXTENSION_SERVER = 'a Zed extension runs this server: add it to Canopy by hand, or keep it in Zed';

/** A Zed entry in the Claude Desktop shape; undefined for a server a Zed extension runs. */
function fromZed(entry: unknown): unknown {
  if (!isPlainObject(entry)) return entry;
  const { source, enabled, command, ...rest } = entry;
  if (source === 'extension' || (command === undefined && rest.url === undefined)) return undefined;
  // Older Zed versions nest the command: { "command": { "path", "args", "env" } }.
  const flat = isPlainObject(command) ? { command: command.path, args: command.args, env: command.env } : { command };
  return { ...rest, ...flat, ...(enabled === false ? { disabled: true } : {}) };
}

/** The app's servers (Canopy's own entry included); an empty list when the file has none. */
export function appServers(app: AppId, root: Record<string, unknown>): ImportEntry[] {
  const servers = root[serversKey(app)];
  if (servers === undefined) return [];
  if (app !== 'zed' || !isPlainObject(servers)) return parseMcpServersFile({ mcpServers: servers });
  const converted = Object.entries(servers).map(([name, entry]) => [name, fromZed(entry)] as const);
  const parsed = parseMcpServersFile({ mcpServers: Object.fromEntries(converted.filter(([, entry]) => entry !== undefined)) });
  const byName = new Map(parsed.map((entry) => [entry.name, entry]));
  return converted.map(([name]) => byName.get(name) ?? { name, error: ZED_EXTENSION_SERVER, disabled: false });
}
