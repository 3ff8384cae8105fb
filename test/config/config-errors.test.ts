// A config field of the wrong type is reported as such (expected type and the value given), not as
// missing — on every path that validates with zod: config files, mcpServers entries, API bodies.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError } from '../../main/core/config/config-error.ts';
import { parseServerConfig, parseOrThrow } from '../../main/core/config/server-config.ts';
import { parseMcpServersFile } from '../../main/core/config/mcp-servers-file.ts';

const problem = (input: unknown) => {
  try {
    parseServerConfig(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
};

describe('config validation errors', () => {
  it('says what type a field must have and what was given', () => {
    expect(problem({ name: 'x', command: 'npx', args: '-y x' })).toBe(
      `invalid server config: field 'args' must be an array, not a string ("-y x")`,
    );
    expect(problem({ name: 'x', command: 'npx', env: { A: 1 } })).toBe(`invalid server config: field 'env.A' must be a string, not a number (1)`);
    expect(problem({ name: 'x', command: 'npx', args: ['-y', null] })).toBe(`invalid server config: field 'args.1' must be a string, not null`);
    expect(problem({ name: 'x', url: 'http://h/mcp', headers: ['a'] })).toBe(`invalid server config: field 'headers' must be an object, not an array`);
    expect(problem({ name: 'x', url: 'http://h/mcp', transport: 'http' })).toBe(
      `invalid server config: field 'transport' must be one of "stdio", "streamable_http", "sse", not a string ("http")`,
    );
  });

  it('still calls a missing field missing', () => {
    expect(problem({ command: 'npx' })).toBe(`invalid server config: field 'name' is required`);
    expect(problem({ name: 'x', transport: 'stdio' })).toBe(`invalid server config: field 'command' is required for a stdio server`);
  });

  it('maps errors the same way for any schema (API bodies use parseOrThrow through readJson)', () => {
    const body = z.object({ config: z.object({}).passthrough(), force: z.boolean().optional() });
    expect(() => parseOrThrow(body, { config: {}, force: 'yes' }, 'request')).toThrow(
      `invalid request: field 'force' must be true or false, not a string ("yes")`,
    );
  });

  it('reports a wrong-type mcpServers entry field by name', () => {
    const [entry] = parseMcpServersFile({ mcpServers: { fs: { command: 'npx', args: '-y @modelcontextprotocol/server-filesystem' } } });
    expect(entry.error).toBe(`invalid entry: field 'args' must be an array, not a string ("-y @modelcontextprotocol/server-filesy…)`);
  });
});
