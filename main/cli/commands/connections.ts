// Your own accounts of per-user servers (enterprise mode): `canopy connect SERVER` (OAuth on the web
// UI's Connections page, in the browser you sign in with, or `--token-stdin` for a personal token), `canopy disconnect SERVER`, and `canopy list
// connections` (/connections of the admin API). They act for the user whose token the CLI sends.
import type { Command } from 'commander';
import type { ConnectionView } from '../../core/api/contract.ts';
import { openBrowser } from '../../core/upstream/oauth/open-browser.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { commandGroup } from '../command-groups.ts';
import { formatTable } from '../format/table.ts';
import { formatDuration } from '../format/duration.ts';
import { AUTHORIZATION_TIMEOUT_MS, pollAuthorization } from '../authorization-wait.ts';

const STATUS_WORDS: Record<ConnectionView['status'], string> = {
  connected: 'connected',
  not_connected: 'not connected',
  needs_reauthorization: 'needs re-authorization',
};

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text.trim();
}

/** Waits until `server` is connected anew (after `since`). */
async function waitForConnection(context: CliContext, server: string, since: number): Promise<void> {
  const interrupted = new AbortController();
  const onInterrupt = () => interrupted.abort();
  process.once('SIGINT', onInterrupt);
  const progress = context.output.progress(`waiting for you to approve access to '${server}' (Ctrl-C to stop)`, { announce: true });
  try {
    const read = async () => (await context.client().listConnections()).find((connection) => connection.server === server);
    const fresh = (connection: ConnectionView | undefined) =>
      connection?.status === 'connected' && Date.parse(connection.connectedAt ?? '') >= since - 1_000 ? 'authorized' : undefined;
    const outcome = await pollAuthorization(read, fresh, { signal: interrupted.signal });
    if (outcome.result === 'timeout') throw new CliError(`gave up waiting after ${formatDuration(AUTHORIZATION_TIMEOUT_MS)}: run \`canopy connect ${server}\` again`);
    if (outcome.result === 'interrupted') throw new CliError(`stopped waiting: run \`canopy connect ${server}\` again to connect it`, 130);
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onInterrupt);
  }
}

export function registerConnectionCommands(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('connect')
      .argument('<server>', 'a server that uses each person\'s own account ("credentials": "per_user")')
      .summary('connect your own account of a per-user server')
      .description(
        'Connect your own account of a server whose calls use each person\'s own credentials: by OAuth, on ' +
          'Canopy\'s Connections page in your browser (the default; an authorization only completes in the browser ' +
          'that started it, signed in as you; waits up to 10 minutes), or with a personal token read from stdin ' +
          '(--token-stdin), never from the command line. Your MCP clients then call it as you.',
      )
      .option('--token-stdin', 'read a personal token from stdin instead of authorizing with OAuth')
      .action(async (server: string, flags: { tokenStdin?: boolean }) => {
        const { output } = context;
        if (flags.tokenStdin) {
          const token = await readStdin();
          if (!token) throw new CliError('no token on stdin: pipe it in, e.g. `printenv GITHUB_TOKEN | canopy connect github --token-stdin`');
          await context.client().connectWithToken(server, token);
          return output.line(`✓ connected your account of '${server}' with a personal token`);
        }
        const since = Date.now();
        const page = `${context.registryUrl()}/connections?${new URLSearchParams({ server })}`;
        output.line(`Open Canopy's Connections page in your browser, sign in, and connect '${server}' there:`);
        output.line(`  ${page}`);
        if (!(await openBrowser(page))) output.note('could not open a browser: open the URL above yourself');
        await waitForConnection(context, server, since);
        output.line(`✓ connected your account of '${server}'`);
      }),
    ['canopy connect linear', 'printenv GITHUB_TOKEN | canopy connect github --token-stdin'],
  );

  withExamples(
    program
      .command('disconnect')
      .argument('<server>', 'a per-user server you connected')
      .summary('remove your own account of a per-user server')
      .description('Remove the account you connected for a per-user server: its token (or OAuth grant) is deleted from Canopy, and your calls to it stop.')
      .action(async (server: string) => {
        await context.client().disconnect(server);
        context.output.line(`✓ disconnected your account of '${server}'`);
      }),
    ['canopy disconnect github'],
  );

  withExamples(
    commandGroup(program, 'list')
      .command('connections')
      .description('List the servers that use each person\'s own account, and whether you have connected yours')
      .option('--json', 'print JSON (as the admin API returns it)')
      .action(async (options: { json?: boolean }) => {
        const connections = await context.client().listConnections();
        const { output } = context;
        if (options.json) return output.json(connections);
        if (connections.length === 0) return output.note('No server here uses per-user accounts.');
        const table = formatTable(
          [
            { header: 'SERVER', value: (row: ConnectionView) => row.server },
            { header: 'STATUS', value: (row) => STATUS_WORDS[row.status] },
            { header: 'HOW', value: (row) => (row.kind === 'oauth' ? 'OAuth' : row.kind === 'token' ? 'token' : '-') },
            { header: 'DESCRIPTION', value: (row) => row.description ?? '' },
          ],
          connections,
          output.width,
        );
        for (const line of table) output.line(line);
        if (connections.some((row) => row.status !== 'connected')) output.note('\nConnect one with `canopy connect SERVER` (or --token-stdin for a personal token).');
      }),
    ['canopy list connections', 'canopy list connections --json'],
  );
}
