import { describe, expect, it } from 'vitest';
import { parsePastedConfig, PasteError } from '../../../renderer/src/features/servers/lib/pasted-config.ts';

describe('pasted config', () => {
  it('reads one MCPJungle server config', () => {
    const [entry] = parsePastedConfig('{"name": "docs", "transport": "streamable_http", "url": "https://example.com/mcp"}');
    expect(entry).toMatchObject({ name: 'docs', enabled: true, config: { name: 'docs', url: 'https://example.com/mcp' } });
    expect(entry.problem).toBeUndefined();
  });

  it('reads an array of configs, flagging the invalid ones', () => {
    const entries = parsePastedConfig(JSON.stringify([{ name: 'a', command: 'node' }, { name: 'b__c', command: 'node' }, 3]));
    expect(entries.map((e) => [e.name, Boolean(e.config), e.problem])).toEqual([
      ['a', true, undefined],
      ['b__c', false, `invalid server config: field 'name' must not contain "__"`],
      ['entry 3', false, 'is not a JSON object'],
    ]);
  });

  it('reads a Claude/Cursor mcpServers file, keeping disabled entries disabled', () => {
    const entries = parsePastedConfig(
      JSON.stringify({
        mcpServers: {
          memory: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: { A: '1' } },
          remote: { url: 'https://example.com/sse', type: 'sse', disabled: true },
          broken: { args: [] },
        },
      }),
    );
    expect(entries[0]).toMatchObject({ name: 'memory', enabled: true, config: { transport: 'stdio', command: 'npx', env: { A: '1' } } });
    expect(entries[1]).toMatchObject({ name: 'remote', enabled: false, config: { transport: 'sse' } });
    expect(entries[2]).toMatchObject({ name: 'broken', problem: 'entry has neither "command" nor "url"' });
  });

  it('reads a VS Code `servers` file ("http" leaves streamable HTTP vs SSE for the gateway to find out, as VS Code does)', () => {
    const [entry] = parsePastedConfig('{"servers": {"x": {"type": "http", "url": "http://127.0.0.1:1/mcp"}}}');
    expect(entry.config).toMatchObject({ name: 'x', url: 'http://127.0.0.1:1/mcp' });
    expect(entry.config).not.toHaveProperty('transport');
  });

  it('says what is wrong with text that is not JSON', () => {
    expect(() => parsePastedConfig('')).toThrow(PasteError);
    expect(() => parsePastedConfig('{"name": ')).toThrow(/not valid JSON/);
  });
});
