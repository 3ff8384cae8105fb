// The terminal log format: one readable line per record, errors as message + short cause, stacks
// only at debug level, secrets still redacted.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../main/core/telemetry/logger.ts';
import { formatRecord, prettyDestination } from '../../main/core/telemetry/pretty-log.ts';

function prettyLogger(level: string): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const destination = prettyDestination({ write: (line) => lines.push(line), color: false, stacks: level === 'debug' });
  return { logger: createLogger({ level, destination }), lines };
}

describe('pretty log lines', () => {
  it('shows time, level, message and key fields on one line', () => {
    const { logger, lines } = prettyLogger('info');
    logger.info({ url: 'http://127.0.0.1:7450/mcp', mode: 'development', servers: 3 }, 'Canopy is listening');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d INFO {2}Canopy is listening {2}url=http:\/\/127\.0\.0\.1:7450\/mcp {2}mode=development {2}servers=3\n$/);
  });

  it('shows an error as one line with its cause, and no stack', () => {
    const { logger, lines } = prettyLogger('info');
    const error = new Error('could not reach the database', { cause: new Error('connect ECONNREFUSED 127.0.0.1:5432') });
    logger.error({ err: error, server: 'github' }, 'reload failed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('ERROR reload failed  error: could not reach the database: connect ECONNREFUSED 127.0.0.1:5432  server=github');
    expect(lines[0]).not.toContain('    at ');
  });

  it('adds the stack at debug level', () => {
    const { logger, lines } = prettyLogger('debug');
    logger.warn({ err: new Error('boom') }, 'something failed');
    expect(lines.join('')).toMatch(/WARN {2}something failed {2}error: boom\nError: boom\n\s+at /);
  });

  it('still redacts secrets', () => {
    const { logger, lines } = prettyLogger('info');
    logger.info({ config: { bearer_token: 'sekrit-value' } }, 'registered');
    expect(lines[0]).not.toContain('sekrit-value');
    expect(lines[0]).toContain('[redacted]');
  });

  it('names a cause the message does not already hold', () => {
    const line = formatRecord({ level: 50, msg: 'failed', err: { type: 'Error', message: 'fetch failed', stack: 'x', cause: { message: 'ECONNRESET' } } }, { color: false, stacks: false });
    expect(line).toContain('error: fetch failed — cause: ECONNRESET');
  });

  it('quotes values with spaces and passes non-JSON text through', () => {
    expect(formatRecord({ level: 40, time: 0, msg: 'x', reason: 'two words' }, { color: false, stacks: false })).toContain('reason="two words"');
    const lines: string[] = [];
    prettyDestination({ write: (line) => lines.push(line), color: false, stacks: false }).write('not json\n');
    expect(lines).toEqual(['not json\n']);
  });
});
