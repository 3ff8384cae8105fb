// `canopy status` (GET /status) and `canopy doctor` (GET /status and /servers, checked).
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { doctorReport, formatStatus } from '../format/status.ts';
import { plural } from '../format/server-summary.ts';

export function registerStatusCommands(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('status')
      .summary("show the gateway's endpoint, mode, store and secrets backend")
      .description('Show the running gateway: version, mode, the MCP endpoint to give MCP clients, where data and secrets live.')
      .option('--json', 'print JSON')
      .action(async (options: { json?: boolean }) => {
        const status = await context.client().status();
        if (options.json) return context.output.json(status);
        for (const line of formatStatus(status, context.registryUrl())) context.output.line(line);
      }),
    ['canopy status', 'canopy status --registry http://10.0.0.5:7450'],
  );

  withExamples(
    program
      .command('doctor')
      .summary('check the gateway and every server, and say what to fix')
      .description(
        'Check that the gateway answers, where secrets are kept (and whether that is a fallback), and ' +
          'the state of every server, with the command that fixes each problem. Exits non-zero when ' +
          'a server needs you.',
      )
      .action(async () => {
        const client = context.client();
        const [status, servers] = await Promise.all([client.status(), client.listServers()]);
        const report = doctorReport(status, servers, context.registryUrl());
        for (const line of report.lines) context.output.line(line);
        if (report.problems > 0) throw new CliError(`${plural(report.problems, 'problem')} found: see above`);
      }),
    ['canopy doctor'],
  );
}
