// The files `canopy import` reads, turned into Canopy server configs:
// - Claude Desktop / Cursor / VS Code `mcpServers` files
//     { "mcpServers": { "name": { "command", "args", "env" } | { "url", "headers", "type" } } }
//   (VS Code's user mcp.json uses `servers` instead of `mcpServers`; both are read);
// - what `canopy export` writes: { "servers": [ <server config> + "enabled" ] }, or a bare list of
//   server configs, so an export imports back as it was.
import { z } from 'zod';
import { ConfigError } from './config-error.ts';
import { parseOrThrow, type ServerConfigInput } from './server-config.ts';

const entrySchema = z
  .object({
    command: z.string().optional(),
    args: z.array(z.string()).optional(),
    env: z.record(z.string(), z.string()).optional(),
    url: z.string().optional(),
    serverUrl: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    type: z.string().optional(),
    transport: z.string().optional(),
    description: z.string().optional(),
    disabled: z.boolean().optional(),
  })
  .passthrough();

export interface ImportEntry {
  /** The key in the file; also the server name Canopy registers. */
  name: string;
  /** The config to register, or the reason this entry cannot be imported. */
  config?: ServerConfigInput;
  error?: string;
  /** The source marked the entry disabled; it is registered disabled too. */
  disabled: boolean;
}

/** stdio for a command, SSE when the entry says so; otherwise left to the gateway, which tries streamable HTTP, then SSE. */
function toTransport(entry: z.infer<typeof entrySchema>): ServerConfigInput['transport'] {
  const kind = (entry.type ?? entry.transport ?? '').toLowerCase();
  if (entry.command) return 'stdio';
  if (kind === 'sse') return 'sse';
  if (['streamable_http', 'streamable-http', 'streamablehttp'].includes(kind)) return 'streamable_http';
  return undefined;
}

/** One server config of an export (or a list of configs); `enabled: false` imports it disabled. */
function configListEntry(raw: unknown, index: number): ImportEntry {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    return { name: `entry ${index + 1}`, error: 'entry is not a server config object', disabled: false };
  }
  const { enabled, ...config } = raw as Record<string, unknown>;
  const name = typeof config.name === 'string' ? config.name : `entry ${index + 1}`;
  if (enabled !== undefined && typeof enabled !== 'boolean') return { name, error: "field 'enabled' must be true or false", disabled: false };
  return { name, config: config as ServerConfigInput, disabled: enabled === false };
}

export function parseMcpServersFile(json: unknown): ImportEntry[] {
  if (Array.isArray(json)) return json.map(configListEntry);
  if (json === null || typeof json !== 'object') throw new ConfigError('the file is not a JSON object');
  const root = json as Record<string, unknown>;
  if (Array.isArray(root.servers)) return root.servers.map(configListEntry);
  const servers = root.mcpServers ?? root.servers;
  if (servers === undefined || servers === null || typeof servers !== 'object' || Array.isArray(servers)) {
    throw new ConfigError('the file has no "mcpServers" object (expected a Claude Desktop / Cursor config) nor a "servers" list (a `canopy export`)');
  }
  return Object.entries(servers as Record<string, unknown>).map(([name, raw]): ImportEntry => {
    let entry: z.infer<typeof entrySchema>;
    try {
      entry = parseOrThrow(entrySchema, raw, 'entry');
    } catch (error) {
      return { name, error: (error as ConfigError).message, disabled: false };
    }
    const url = entry.url ?? entry.serverUrl;
    if (!entry.command && !url) return { name, error: 'entry has neither "command" nor "url"', disabled: Boolean(entry.disabled) };
    const transport = toTransport(entry);
    const config: ServerConfigInput =
      transport === 'stdio'
        ? { name, transport, command: entry.command, args: entry.args, env: entry.env, description: entry.description }
        : { name, ...(transport ? { transport } : {}), url, headers: entry.headers, description: entry.description };
    return { name, config, disabled: Boolean(entry.disabled) };
  });
}
