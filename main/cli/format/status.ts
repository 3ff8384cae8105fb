// `canopy status` and `canopy doctor`: the gateway's facts, and a checklist of what needs the user.
import type { ServerView, StatusView } from '../../core/api/contract.ts';
import { serverHealth } from './server-state.ts';
import { catalogCounts, plural } from './server-summary.ts';

export function formatStatus(status: StatusView, registryUrl: string): string[] {
  const lines = [
    `Canopy ${status.version} (${status.mode} mode)`,
    `  Gateway:       ${registryUrl}`,
    `  MCP endpoint:  ${status.mcpUrl}`,
    `  Store:         ${status.store.description}`,
    `  Secrets:       ${status.secrets.description}`,
  ];
  if (status.secrets.warning) lines.push(`warning: ${status.secrets.warning}`);
  return lines;
}

export interface DoctorReport {
  lines: string[];
  /** Things that need the user (non-zero exit). */
  problems: number;
  /** Things that work but the user should know (the `!` lines). */
  warnings: number;
}

/** The closing line: never "No problems found" right under a warning. */
function verdict(problems: number, warnings: number): string {
  const warned = warnings > 0 ? `${plural(warnings, 'warning')} (marked ! above)` : '';
  if (problems > 0) return `${plural(problems, 'problem')} found${warned ? `, and ${warned}` : ''}.`;
  return warned ? `No problems found, but ${warned}.` : 'No problems found.';
}

const MARKS = { ok: '✓', info: '-', problem: '✗' } as const;

export function doctorReport(status: StatusView, servers: ServerView[], registryUrl: string, now = Date.now()): DoctorReport {
  let problems = 0;
  let warnings = 0;
  const lines = [
    `Canopy ${status.version} (${status.mode} mode)`,
    `✓ gateway reachable at ${registryUrl}; MCP clients connect to ${status.mcpUrl}`,
    `✓ store: ${status.store.description}`,
  ];
  // A secrets fallback works, so it is a warning the user must see, not a failure.
  if (status.secrets.warning) warnings += 1;
  lines.push(
    status.secrets.warning
      ? `! secrets: ${status.secrets.warning}`
      : `✓ secrets: ${status.secrets.description}`,
  );
  if (servers.length === 0) {
    lines.push('- no servers registered: add one with `canopy register` or `canopy import FILE`');
  } else {
    lines.push('', `Servers (${servers.length}):`);
    for (const server of servers) {
      const health = serverHealth(server, now);
      if (health.level === 'problem') problems += 1;
      const detail = health.level === 'ok' ? `${health.text}, ${catalogCounts(server)}` : health.text;
      lines.push(`  ${MARKS[health.level]} ${server.name} (${server.transport}): ${detail}`);
    }
  }
  lines.push('', verdict(problems, warnings));
  return { lines, problems, warnings };
}
