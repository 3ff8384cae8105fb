import { describe, expect, it } from 'vitest';
import { countOf } from '../../../renderer/src/lib/plural.ts';
import type { ToolView } from '../../../main/core/api/contract.ts';
import { snippetFor, TOKEN_PLACEHOLDER } from '../../../renderer/src/features/connect/lib/app-snippets.ts';
import { parseAllowList } from '../../../renderer/src/features/identities/lib/allow-list.ts';
import { describeState } from '../../../renderer/src/features/servers/lib/state-label.ts';
import { searchTools } from '../../../renderer/src/features/tools/lib/tool-search.ts';

const state = (status: Parameters<typeof describeState>[0]['state']['status'], extra = {}) => ({ status, crashes: 0, since: '2024-01-01T00:00:00Z', ...extra });

describe('server state labels', () => {
  it('names every state', () => {
    const now = new Date('2024-01-01T00:00:00Z');
    expect(describeState({ enabled: true, state: state('running') }).label).toBe('running');
    expect(describeState({ enabled: true, state: state('starting') }).tone).toBe('busy');
    expect(describeState({ enabled: true, state: state('crashed', { crashes: 3, nextRetryAt: '2024-01-01T00:00:05Z' }) }, now)).toEqual({
      label: 'crashed 3×',
      tone: 'warn',
      hint: 'retrying in 5 s',
    });
    expect(describeState({ enabled: true, state: state('error', { lastError: 'bad command' }) })).toMatchObject({ label: 'error', hint: 'bad command' });
    expect(describeState({ enabled: true, state: state('needs_authorization') }).label).toBe('needs authorization');
    expect(describeState({ enabled: true, state: state('stopped') }).label).toBe('stopped');
    expect(describeState({ enabled: true, state: state('sleeping') })).toMatchObject({ label: 'sleeping', tone: 'off', hint: expect.stringContaining('next call') });
    expect(describeState({ enabled: false, state: state('stopped') }).label).toBe('disabled');
  });
});

describe('tool search', () => {
  const tool = (name: string, description?: string) => ({ name, server: name.split('__')[0], description }) as ToolView;
  const tools = [tool('everything__echo', 'Echoes back the input'), tool('memory__read_graph', 'Read the knowledge graph'), tool('everything__add')];
  it('matches every word against name, description and server', () => {
    expect(searchTools(tools, '').length).toBe(3);
    expect(searchTools(tools, 'ECHO').map((t) => t.name)).toEqual(['everything__echo']);
    expect(searchTools(tools, 'everything input').map((t) => t.name)).toEqual(['everything__echo']);
    expect(searchTools(tools, 'graph memory').map((t) => t.name)).toEqual(['memory__read_graph']);
  });
});

describe('connect snippets', () => {
  const mcpUrl = 'http://127.0.0.1:7451/mcp';
  const cli = { launcher: { command: '/opt/node/bin/node', args: ['/home/me/canopy/bin/canopy.mjs'] }, commandLine: "'/opt/node/bin/node' /home/me/canopy/bin/canopy.mjs" };
  const parse = (text: string | undefined) => JSON.parse(text ?? 'null');
  it('gives each app the entry `canopy setup` writes', () => {
    expect(parse(snippetFor('cursor', { mcpUrl, needsToken: false }).text)).toEqual({ mcpServers: { canopy: { url: mcpUrl } } });
    expect(parse(snippetFor('vscode', { mcpUrl, needsToken: false }).text)).toEqual({ servers: { canopy: { type: 'http', url: mcpUrl } } });
    expect(parse(snippetFor('claude-desktop', { mcpUrl, needsToken: false, cli }).text).mcpServers.canopy).toEqual({
      command: '/opt/node/bin/node',
      args: ['/home/me/canopy/bin/canopy.mjs', 'stdio-bridge', '--url', mcpUrl],
    });
  });
  it('never shows a bare `canopy` command: without a launcher there is no Claude Desktop entry and no setup command', () => {
    const snippet = snippetFor('claude-desktop', { mcpUrl, needsToken: false });
    expect(snippet.text).toBeUndefined();
    expect(snippet.command).toBeUndefined();
  });
  it('offers the setup command of this installation, aimed at this gateway', () => {
    expect(snippetFor('cursor', { mcpUrl, needsToken: false, cli }).command).toBe(`${cli.commandLine} --registry http://127.0.0.1:7451 setup cursor`);
  });
  it('points the entry and the setup command at the search view when asked', () => {
    const snippet = snippetFor('zed', { mcpUrl, needsToken: false, cli, search: true });
    expect(parse(snippet.text)).toEqual({ context_servers: { canopy: { source: 'custom', url: `${mcpUrl}/search` } } });
    expect(snippet.command).toBe(`${cli.commandLine} --registry http://127.0.0.1:7451 setup zed --search`);
    expect(parse(snippetFor('windsurf', { mcpUrl, needsToken: false, search: true }).text)).toEqual({ mcpServers: { canopy: { serverUrl: `${mcpUrl}/search` } } });
  });
  it('shows a token placeholder in enterprise mode', () => {
    expect(snippetFor('cursor', { mcpUrl, needsToken: true }).text).toContain(`Bearer ${TOKEN_PLACEHOLDER}`);
  });
});

describe('counts', () => {
  it('say "1 tool" and "2 tools"', () => {
    expect([0, 1, 2].map((n) => countOf(n, 'tool'))).toEqual(['0 tools', '1 tool', '2 tools']);
  });
});

describe('allow-list field', () => {
  it('splits on commas, spaces and lines and drops duplicates', () => {
    expect(parseAllowList(' github, memory__read_graph\n*  github ')).toEqual(['github', 'memory__read_graph', '*']);
  });
});
