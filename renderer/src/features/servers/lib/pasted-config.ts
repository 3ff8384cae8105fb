// Pasted JSON → server configs to register one by one. Accepts one server config (MCPJungle format),
// an array of them, or a Claude Desktop / Cursor / VS Code `mcpServers` (or `servers`) file.
import { parseMcpServersFile } from '@core/config/mcp-servers-file.ts';
import { parseServerConfig, type ServerConfigInput } from '@core/config/server-config.ts';

export interface PastedEntry {
  name: string;
  /** Valid config to register; absent when `problem` says why it cannot be. */
  config?: ServerConfigInput;
  problem?: string;
  enabled: boolean;
}

export class PasteError extends Error {
  override name = 'PasteError';
}

function checked(name: string, config: ServerConfigInput, enabled: boolean): PastedEntry {
  try {
    parseServerConfig(config);
    return { name, config, enabled };
  } catch (error) {
    return { name, problem: (error as Error).message, enabled };
  }
}

function fromConfigObject(value: unknown, index: number): PastedEntry {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { name: `entry ${index + 1}`, problem: 'is not a JSON object', enabled: true };
  }
  const name = typeof (value as { name?: unknown }).name === 'string' ? (value as { name: string }).name : `entry ${index + 1}`;
  return checked(name, value as ServerConfigInput, true);
}

export function parsePastedConfig(text: string): PastedEntry[] {
  if (text.trim() === '') throw new PasteError('Paste a server config or an "mcpServers" JSON first.');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PasteError(`This is not valid JSON (${(error as Error).message}). Check for a missing comma or quote.`);
  }
  if (Array.isArray(json)) return json.map(fromConfigObject);
  if (json !== null && typeof json === 'object' && ('mcpServers' in json || 'servers' in json)) {
    return parseMcpServersFile(json).map((entry) =>
      entry.config ? checked(entry.name, entry.config, !entry.disabled) : { name: entry.name, problem: entry.error, enabled: !entry.disabled },
    );
  }
  return [fromConfigObject(json, 0)];
}
