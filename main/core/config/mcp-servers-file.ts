// Claude Desktop / Cursor / VS Code `mcpServers` files, turned into Canopy server configs.
//   { "mcpServers": { "name": { "command", "args", "env" } | { "url", "headers", "type" } } }
// VS Code's user mcp.json uses `servers` instead of `mcpServers`; both are read.
import { z } from 'zod';
import { ConfigError, parseOrThrow, type ServerConfigInput } from './server-config.ts';

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

function toTransport(entry: z.infer<typeof entrySchema>): ServerConfigInput['transport'] {
  const kind = (entry.type ?? entry.transport ?? '').toLowerCase();
  if (kind === 'sse') return 'sse';
  if (entry.command) return 'stdio';
  return 'streamable_http';
}

export function parseMcpServersFile(json: unknown): ImportEntry[] {
  if (json === null || typeof json !== 'object') throw new ConfigError('the file is not a JSON object');
  const root = json as Record<string, unknown>;
  const servers = root.mcpServers ?? root.servers;
  if (servers === undefined || servers === null || typeof servers !== 'object' || Array.isArray(servers)) {
    throw new ConfigError('the file has no "mcpServers" object (expected a Claude Desktop / Cursor config)');
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
        : { name, transport, url, headers: entry.headers, description: entry.description };
    return { name, config, disabled: Boolean(entry.disabled) };
  });
}
