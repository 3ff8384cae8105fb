// Per-server actions: `canopy deregister` (DELETE /servers/{name}), `canopy restart`
// (POST /servers/{name}/restart) and `canopy logs` (GET /servers/{name}/logs).
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { serverSummary } from '../format/server-summary.ts';

export function registerServerCommands(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('deregister')
      .argument('<name>', 'registered server name')
      .summary('remove a server (and its stored secrets)')
      .description(
        'Remove a server from Canopy: its process stops, its tools leave every list, its secrets are deleted, ' +
          'and it is taken out of every tool group that named it (the groups are listed).',
      )
      .action(async (name: string) => {
        const { removedFromGroups } = await context.client().deregisterServer(name);
        const groups = removedFromGroups.map((group) => `'${group}'`).join(', ');
        context.output.line(`✓ deregistered '${name}'${groups ? `; removed from group${removedFromGroups.length > 1 ? 's' : ''} ${groups}` : ''}`);
      }),
    ['canopy deregister memory'],
  );

  withExamples(
    program
      .command('restart')
      .argument('<name>', 'registered server name')
      .summary("restart a server's connection (or process)")
      .description(
        'Stop and start a server again: a stdio server gets a new process, a remote one a new connection, and which MCP protocol era it speaks is found out again (the stored one is dropped).',
      )
      .action(async (name: string) => {
        const progress = context.output.progress(`restarting '${name}'`);
        let server;
        try {
          server = await context.client().restartServer(name);
        } finally {
          progress.stop();
        }
        if (server.state.status === 'error') {
          throw new CliError(`'${name}' did not start: ${server.state.lastError ?? 'unknown error'}; see \`canopy logs ${name}\``);
        }
        context.output.line(`✓ restarted ${serverSummary(server)}`);
      }),
    ['canopy restart filesystem'],
  );

  withExamples(
    program
      .command('logs')
      .argument('<name>', 'registered server name')
      .summary("show a server's recent log (stderr of a stdio server)")
      .description("Print a server's recent log lines, oldest first: a stdio server's stderr, a remote server's connection events.")
      .option('--json', 'print the lines as JSON')
      .action(async (name: string, options: { json?: boolean }) => {
        const { lines } = await context.client().serverLogs(name);
        if (options.json) return context.output.json(lines);
        if (lines.length === 0) context.output.note(`no log lines for '${name}' yet`);
        for (const line of lines) context.output.line(line);
      }),
    ['canopy logs memory', 'canopy logs memory --json | jq -r ".[]"'],
  );
}
