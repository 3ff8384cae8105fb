// `canopy setup <app>`: adds Canopy to Cursor, Claude Desktop, Claude Code or VS Code.
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { APP_IDS, isAppId } from '../../core/connect-apps/apps.ts';
import { connectApp, ConnectAppError } from '../../core/connect-apps/connect.ts';
import { connectMessage } from '../../core/connect-apps/messages.ts';
import { desktopPlatform, type HostLocation } from '../../core/connect-apps/paths.ts';
import { thisCli } from '../cli-launcher.ts';
import type { CliContext } from '../context.ts';
import { readCliSettings } from '../cli-settings.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';

interface SetupFlags {
  dryRun?: boolean;
  url?: string;
  token?: string;
}

async function setup(context: CliContext, host: HostLocation, app: string, flags: SetupFlags): Promise<void> {
  if (!isAppId(app)) throw new CliError(`unknown app '${app}': choose one of ${APP_IDS.join(', ')}`, 2);
  const url = flags.url ?? `${context.registryUrl()}/mcp`;
  const token = flags.token ?? (context.env.CANOPY_TOKEN || readCliSettings(context.settingsPath).token);
  try {
    const result = await connectApp({ app, url, token, bridge: thisCli(context.env).launcher, dryRun: flags.dryRun, ...host });
    context.output.line(connectMessage(result));
    if (result.dryRun && result.diff) context.output.line(result.diff);
  } catch (error) {
    if (error instanceof ConnectAppError) throw new CliError(error.message);
    throw error;
  }
}

/** `host` (home, platform, env) defaults to this machine's; tests pass a temporary home. */
export function registerSetupCommand(program: Command, context: CliContext, host?: HostLocation): Command {
  return withExamples(
    program
      .command('setup')
      .argument('<app>', APP_IDS.join(' | '))
      .summary("add Canopy to an app's MCP config")
      .description(
        "Add Canopy to Cursor, Claude Desktop, Claude Code or VS Code: merges one `canopy` entry into the app's MCP config\n" +
          'file (other entries and comments stay), writes a backup first, and does nothing when it is already set up.\n' +
          'Claude Desktop only launches stdio servers, so it gets `canopy stdio-bridge`.',
      )
      .option('--dry-run', 'show the change without writing anything')
      .option('--url <url>', "the gateway's MCP endpoint (default: the registry URL + /mcp)")
      .option('--token <token>', 'bearer token the app sends (default: $CANOPY_TOKEN or the `canopy login` token)')
      .action((app: string, flags: SetupFlags) =>
        setup(context, host ?? { home: homedir(), platform: desktopPlatform(process.platform), env: context.env }, app, flags),
      ),
    ['canopy setup cursor', 'canopy setup claude-desktop --dry-run', 'canopy setup vscode --url http://127.0.0.1:7450/mcp'],
  );
}
