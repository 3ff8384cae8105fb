import { describe, expect, it } from 'vitest';
import { formatImportOutcome, importFailures, importSummary, type ImportOutcome } from '../../main/cli/format/import-report.ts';

describe('import report', () => {
  const outcomes: ImportOutcome[] = [
    { name: 'memory', result: 'registered', transport: 'stdio', toolCount: 9, enabled: true },
    { name: 'old', result: 'registered', transport: 'stdio', toolCount: 0, enabled: false },
    { name: 'todoist', result: 'needs_authorization', transport: 'streamable_http' },
    { name: 'broken', result: 'failed', reason: 'entry has neither "command" nor "url"' },
  ];

  it('one line per entry', () => {
    expect(outcomes.map(formatImportOutcome)).toEqual([
      '✓ memory (stdio): 9 tools',
      '✓ old (stdio): registered disabled',
      '! todoist (streamable_http): registered, needs authorization: run `canopy authorize todoist`',
      '✗ broken: entry has neither "command" nor "url"',
    ]);
  });

  it('summary counts failures only', () => {
    expect(importFailures(outcomes)).toBe(1);
    expect(importSummary(outcomes)).toBe('1 of 4 servers could not be imported');
    expect(importSummary(outcomes.slice(0, 1))).toBe('imported 1 server');
    expect(importSummary([])).toBe('the file lists no servers');
  });

  it('an entry registered with the same config already is unchanged, not a failure', () => {
    const unchanged: ImportOutcome = { name: 'memory', result: 'unchanged', transport: 'stdio' };
    expect(formatImportOutcome(unchanged)).toBe('= memory (stdio): already registered with this config, unchanged');
    expect(importFailures([unchanged])).toBe(0);
    expect(importSummary([unchanged, unchanged])).toBe('2 unchanged');
    expect(importSummary([outcomes[0], unchanged])).toBe('imported 1 server, 1 unchanged');
  });
});
