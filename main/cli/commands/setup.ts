// `canopy setup <app>`: adds Canopy to Cursor, Claude Desktop, Claude Code or VS Code.
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { APP_IDS, isAppId } from '../../core/connect-apps/apps.ts';
import { connectApp, ConnectAppError } from '../../core/connect-apps/connect.ts';
import { connectMessage } from '../../core/connect-apps/messages.ts';
import { desktopPlatform, type HostLocation } from '../../core/connect-apps/paths.ts';
import { thisCli } from '../cli-launcher.ts';
import type { CliContext } from '../context.ts';
import { credentialForApp, parseAllow } from '../setup-credentials.ts';
import { AdminClient } from '../../core/api/client.ts';
import { createInterface } from 'node:readline/promises';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';

interface SetupFlags {
  dryRun?: boolean;
  url?: string;
  token?: string;
  client?: string;
  allow?: string;
}

/** A question on the terminal; undefined when stdin or stderr is not one (scripts must pass flags). */
function terminalAsk(): ((question: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  return async (question) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    try {
      return await rl.question(question);
    } finally {
      rl.close();
    }
  };
}

async function setup(context: CliContext, host: HostLocation, ask: SetupAsk, app: string, flags: SetupFlags): Promise<void> {
  if (!isAppId(app)) throw new CliError(`unknown app '${app}': choose one of ${APP_IDS.join(', ')}`, 2);
  const url = flags.url ?? `${context.registryUrl()}/mcp`;
  const credential = await credentialForApp(context.client(), (token) => new AdminClient({ baseUrl: context.registryUrl(), token }), {
    app,
    token: flags.token,
    clientName: flags.client,
    allow: flags.allow === undefined ? undefined : parseAllow(flags.allow),
    dryRun: Boolean(flags.dryRun),
    ask: ask === 'terminal' ? terminalAsk() : ask,
  });
  for (const note of credential.notes) context.output.note(note);
  try {
    const result = await connectApp({ app, url, token: credential.token, bridge: thisCli(context.env).launcher, dryRun: flags.dryRun, ...host });
    context.output.line(connectMessage(result));
    if (result.dryRun && result.diff) context.output.line(result.diff);
  } catch (error) {
    if (error instanceof ConnectAppError) throw new CliError(error.message);
    throw error;
  }
}

/** How setup asks for an allow-list: on this terminal (default), or a function (tests). */
export type SetupAsk = 'terminal' | ((question: string) => Promise<string>) | undefined;

/** `host` (home, platform, env) defaults to this machine's; tests pass a temporary home. */
export function registerSetupCommand(program: Command, context: CliContext, host?: HostLocation, ask: SetupAsk = 'terminal'): Command {
  return withExamples(
    program
      .command('setup')
      .argument('<app>', APP_IDS.join(' | '))
      .summary("add Canopy to an app's MCP config")
      .description(
        "Add Canopy to Cursor, Claude Desktop, Claude Code or VS Code: merges one `canopy` entry into the app's MCP config\n" +
          'file (other entries and comments stay), writes a backup first, and does nothing when it is already set up.\n' +
          'Claude Desktop only launches stdio servers, so it gets `canopy stdio-bridge`.\n\n' +
          'Enterprise mode: /mcp takes MCP client tokens, so setup creates an MCP client for the app (named after it, or\n' +
          '--client) allowed what --allow says (asked on a terminal), and writes its token; your own login token is never\n' +
          'written. Needs an admin login (`canopy login`).',
      )
      .option('--dry-run', 'show the change without writing anything')
      .option('--url <url>', "the gateway's MCP endpoint (default: the registry URL + /mcp)")
      .option('--token <token>', "an MCP client's token for the app to send (enterprise mode; default: create an MCP client)")
      .option('--client <name>', 'enterprise mode: name of the MCP client to create for the app (default: the app id)')
      .option('--allow <list>', "enterprise mode: what the app's MCP client may use: server, server__tool or group names, '*' for all (asked on a terminal)")
      .action((app: string, flags: SetupFlags) =>
        setup(context, host ?? { home: homedir(), platform: desktopPlatform(process.platform), env: context.env }, ask, app, flags),
      ),
    [
      'canopy setup cursor',
      'canopy setup claude-desktop --dry-run',
      'canopy setup vscode --url http://127.0.0.1:7450/mcp',
      'canopy setup cursor --allow github,research   # enterprise: creates MCP client "cursor"',
    ],
  );
}
