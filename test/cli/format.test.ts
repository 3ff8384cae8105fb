import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../main/cli/format/duration.ts';
import { formatTable, oneLine, truncate } from '../../main/cli/format/table.ts';
import { serverHealth, stateLabel } from '../../main/cli/format/server-state.ts';
import { promptTable, serverTable, toolTable, resourceTable } from '../../main/cli/format/lists.ts';
import { catalogCounts, serverSummary } from '../../main/cli/format/server-summary.ts';
import { doctorReport, formatStatus } from '../../main/cli/format/status.ts';
import type { StatusView } from '../../main/core/api/contract.ts';
import { NOW, serverView, toolView } from './fixtures.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [800, '800ms'],
    [4_000, '4s'],
    [125_000, '2m 5s'],
    [120_000, '2m'],
    [3 * 3600_000 + 12 * 60_000, '3h 12m'],
    [52 * 3600_000, '2d 4h'],
    [-5, '0ms'],
  ])('%i ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('formatTable', () => {
  const columns = [
    { header: 'NAME', value: (row: { name: string; text: string }) => row.name },
    { header: 'DESCRIPTION', value: (row: { name: string; text: string }) => row.text },
  ];

  it('pads columns to the widest cell and keeps cells on one line', () => {
    expect(formatTable(columns, [{ name: 'a', text: 'first line\nsecond line' }, { name: 'longer', text: 'x' }])).toEqual([
      'NAME    DESCRIPTION',
      'a       first line',
      'longer  x',
    ]);
  });

  it('shortens the last column to the width with an ellipsis', () => {
    const lines = formatTable(columns, [{ name: 'a', text: 'a description that is far too long for the terminal' }], 30);
    expect(lines[1]).toBe('a     a description that is f…');
    expect(lines.every((line) => line.length <= 30)).toBe(true);
  });

  it('keeps a minimum width for the last column', () => {
    const lines = formatTable(columns, [{ name: 'a'.repeat(40), text: 'some long description here' }], 30);
    expect(lines[1].endsWith('some long d…')).toBe(true);
  });

  it('helpers', () => {
    expect(oneLine('  a \t b\nc')).toBe('a b');
    expect(oneLine(undefined)).toBe('');
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
  });
});

describe('server state', () => {
  it('labels', () => {
    expect(stateLabel(serverView('a'), NOW)).toBe('running');
    expect(stateLabel(serverView('a', {}, { enabled: false }), NOW)).toBe('disabled');
    expect(stateLabel(serverView('a', { status: 'crashed', crashes: 3, nextRetryAt: '2026-01-01T12:00:04Z' }), NOW)).toBe(
      'crashed 3× (retry in 4s)',
    );
    expect(stateLabel(serverView('a', { status: 'crashed', crashes: 1 }), NOW)).toBe('crashed 1×');
    expect(stateLabel(serverView('a', { status: 'error', crashes: 5 }), NOW)).toBe('error (crashed 5×)');
    expect(stateLabel(serverView('a', { status: 'needs_authorization' }), NOW)).toBe('needs authorization');
    expect(stateLabel(serverView('a', { status: 'sleeping' }), NOW)).toBe('sleeping');
    expect(serverHealth(serverView('a', { status: 'sleeping' }), NOW)).toMatchObject({ level: 'ok', text: expect.stringContaining('next call starts it') });
  });

  it('advice names the command that fixes it', () => {
    expect(serverHealth(serverView('gh', { status: 'needs_authorization' }), NOW)).toEqual({
      level: 'problem',
      text: 'needs authorization: run `canopy authorize gh`',
    });
    const error = serverHealth(serverView('fs', { status: 'error', lastError: 'command not found: uvx' }), NOW);
    expect(error.level).toBe('problem');
    expect(error.text).toContain('command not found: uvx; see `canopy logs fs`');
    expect(error.text).toContain('canopy restart fs');
    expect(serverHealth(serverView('x', {}, { enabled: false }), NOW).text).toContain('canopy enable server x');
    expect(serverHealth(serverView('x', { status: 'stopped' }), NOW).level).toBe('info');
  });
});

describe('list tables', () => {
  it('servers, with what needs attention below', () => {
    const lines = serverTable(
      [
        serverView('everything', {}, { description: 'the MCP test server', toolCount: 13 }),
        serverView('github', { status: 'needs_authorization' }, { transport: 'streamable_http', toolCount: 0, protocolEra: null, protocolEraCheckedAt: null }),
        serverView('next', {}, { transport: 'streamable_http', protocolEra: 'modern' }),
      ],
      undefined,
      NOW,
    );
    expect(lines).toEqual([
      'NAME        TRANSPORT        STATE                ERA         TOOLS  DESCRIPTION',
      'everything  stdio            running              2025        13     the MCP test server',
      'github      streamable_http  needs authorization  -           0',
      'next        streamable_http  running              2026-07-28  3',
      '',
      'Needs attention:',
      '  github: needs authorization: run `canopy authorize github`',
    ]);
  });

  it('tools show enabled/disabled', () => {
    expect(toolTable([toolView('a__echo', { description: 'Echoes' }), toolView('a__rm', { enabled: false })])).toEqual([
      'NAME     STATUS    DESCRIPTION',
      'a__echo  enabled   Echoes',
      'a__rm    disabled',
    ]);
  });

  it('prompts mark required arguments', () => {
    const lines = promptTable([
      {
        name: 'e__complex',
        server: 'e',
        originalName: 'complex',
        serverEndpointName: 'complex',
        enabled: true,
        description: 'A prompt',
        arguments: [{ name: 'temperature', required: true }, { name: 'style' }],
      },
    ]);
    expect(lines[1]).toBe('e__complex  enabled  temperature*, style  A prompt');
  });

  it('resources show templates', () => {
    const lines = resourceTable([
      { uri: 'canopy://e/test://static/1', server: 'e', originalUri: 'test://static/1', name: 'one', mimeType: 'text/plain', template: false },
      { uri: 'canopy://e/test://static/{id}', server: 'e', originalUri: 'test://static/{id}', name: 'any', template: true },
    ]);
    expect(lines[1]).toContain('text/plain');
    expect(lines[2]).toContain('template');
  });
});

describe('summaries', () => {
  it('counts leave out empty prompts and resources', () => {
    expect(catalogCounts({ toolCount: 1, promptCount: 0, resourceCount: 0 })).toBe('1 tool');
    expect(catalogCounts({ toolCount: 13, promptCount: 3, resourceCount: 1 })).toBe('13 tools, 3 prompts, 1 resource');
    expect(serverSummary(serverView('memory', {}, { toolCount: 9 }), NOW)).toBe('memory (stdio): running, 9 tools');
  });
});

describe('status and doctor', () => {
  const status: StatusView = {
    version: '0.1.0',
    mode: 'development',
    mcpUrl: 'http://127.0.0.1:7450/mcp',
    store: { kind: 'sqlite', description: 'SQLite at /data/canopy.db' },
    secrets: { kind: 'file', description: 'encrypted file', warning: 'no keychain reachable' },
  };

  it('status shows endpoint, store, secrets and any warning', () => {
    const lines = formatStatus(status, 'http://127.0.0.1:7450');
    expect(lines[0]).toBe('Canopy 0.1.0 (development mode)');
    expect(lines).toContain('  MCP endpoint:  http://127.0.0.1:7450/mcp');
    expect(lines).toContain('warning: no keychain reachable');
  });

  it('doctor counts servers that need the user, not the secrets fallback', () => {
    const report = doctorReport(
      status,
      [
        serverView('ok', {}, { toolCount: 2 }),
        serverView('gh', { status: 'needs_authorization' }),
        serverView('off', {}, { enabled: false }),
      ],
      'http://127.0.0.1:7450',
      NOW,
    );
    expect(report.problems).toBe(1);
    expect(report.lines).toContain('! secrets: no keychain reachable');
    expect(report.lines).toContain('  ✓ ok (stdio): running, 2 tools');
    expect(report.lines).toContain('  ✗ gh (stdio): needs authorization: run `canopy authorize gh`');
    expect(report.lines).toContain('  - off (stdio): disabled: `canopy enable server off` turns it on');
    expect(report.warnings).toBe(1);
    expect(report.lines.at(-1)).toBe('1 problem found, and 1 warning (marked ! above).');
  });

  it('doctor does not call a warning "no problems"', () => {
    const report = doctorReport(status, [serverView('ok', {}, { toolCount: 2 })], 'http://127.0.0.1:7450', NOW);
    expect(report.problems).toBe(0);
    expect(report.lines.at(-1)).toBe('No problems found, but 1 warning (marked ! above).');
  });

  it('doctor with nothing registered says how to add servers', () => {
    const report = doctorReport({ ...status, secrets: { kind: 'keychain', description: 'OS keychain' } }, [], 'http://x', NOW);
    expect(report.problems).toBe(0);
    expect(report.lines.join('\n')).toContain('canopy import FILE');
    expect(report.lines.at(-1)).toBe('No problems found.');
  });
});
