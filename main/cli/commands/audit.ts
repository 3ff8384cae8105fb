// `canopy audit`: the audit log (GET /audit), newest first.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { formatTable } from '../format/table.ts';
import type { AuditEntryView } from '../../core/api/contract.ts';

function auditTable(entries: AuditEntryView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'TIME', value: (entry) => entry.at },
      { header: 'WHO', value: (entry) => (entry.actorKind === 'anonymous' ? '-' : `${entry.actorKind}:${entry.actor}`) },
      { header: 'ACTION', value: (entry) => entry.action },
      { header: 'TARGET', value: (entry) => [entry.server, entry.target].filter(Boolean).join(' ') },
      { header: 'OUTCOME', value: (entry) => entry.outcome },
      { header: 'MS', value: (entry) => String(entry.durationMs) },
      { header: 'DETAIL', value: (entry) => entry.detail ?? '' },
    ],
    entries,
    width,
  );
}

export function registerAuditCommand(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('audit')
      .summary('show the audit log: tool calls, prompt gets, resource reads, admin changes')
      .description('Show the audit log of an enterprise-mode gateway, newest first: who did what, with what outcome and how long it took.')
      .option('--client <name>', 'only this MCP client')
      .option('--server <name>', 'only this server')
      .option('--since <when>', 'only entries since then: a duration back (30m, 24h, 7d) or a date and time')
      .option('--limit <n>', 'at most this many entries (default 100, at most 1000)')
      .option('--json', 'print JSON (as the admin API returns it)')
      .action(async (options: { client?: string; server?: string; since?: string; limit?: string; json?: boolean }) => {
        if (options.limit !== undefined && !/^\d+$/.test(options.limit)) throw new CliError(`--limit: "${options.limit}" is not a number`);
        const entries = await context.client().audit({
          client: options.client,
          server: options.server,
          since: options.since,
          limit: options.limit === undefined ? undefined : Number(options.limit),
        });
        if (options.json) return context.output.json(entries);
        if (entries.length === 0) return context.output.note('No audit entries match.');
        for (const line of auditTable(entries, context.output.width)) context.output.line(line);
      }),
    ['canopy audit --since 24h', 'canopy audit --client cursor --server github --json'],
  );
}
