// MCP logging levels (RFC 5424 severities), least to most severe.
import type { LoggingLevel } from '@modelcontextprotocol/server';

const ORDER: LoggingLevel[] = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'];

function severity(level: LoggingLevel): number {
  return ORDER.indexOf(level);
}

/** True when a message of `level` passes a session that asked for `threshold` (none: everything). */
export function passes(level: LoggingLevel, threshold: LoggingLevel | undefined): boolean {
  return threshold === undefined || severity(level) >= severity(threshold);
}

/** The most verbose of the levels asked for, or undefined when nobody asked. */
export function mostVerbose(levels: Iterable<LoggingLevel | undefined>): LoggingLevel | undefined {
  let best: LoggingLevel | undefined;
  for (const level of levels) {
    if (level !== undefined && (best === undefined || severity(level) < severity(best))) best = level;
  }
  return best;
}
