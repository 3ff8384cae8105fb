// `canopy setup <app>`: adds Canopy to Cursor, Claude Desktop, Claude Code or VS Code.
// `canopy setup --scan | --migrate APP | --undo APP`: moves an app's own servers into Canopy and back.
import { homedir } from 'node:os';
import type { Command } from 'commander';
import { APP_IDS, APPS, isAppId, type AppId } from '../../core/connect-apps/apps.ts';
import { connectApp, ConnectAppError } from '../../core/connect-apps/connect.ts';
import { connectMessage } from '../../core/connect-apps/messages.ts';
import { desktopPlatform, type HostLocation } from '../../core/connect-apps/paths.ts';
import { thisCli } from '../cli-launcher.ts';
import type { CliContext } from '../context.ts';
import { credentialForApp, parseAllow } from '../setup-credentials.ts';
import { AdminClient } from '../../core/api/client.ts';
import { createInterface } from 'node:readline/promises';
import { CliError } from '../errors.ts';
import { formatImportOutcome, importSummary, type ImportOutcome } from '../format/import-report.ts';
import { withExamples } from '../help.ts';
import { importEntry } from './import.ts';

interface SetupFlags {
  dryRun?: boolean;
  url?: string;
  search?: boolean;
  token?: string;
  client?: string;
  allow?: string;
  scan?: boolean;
  migrate?: string;
  undo?: string;
  only?: string;
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

function appId(app: string): AppId {
  if (!isAppId(app)) throw new CliError(`unknown app '${app}': choose one of ${APP_IDS.join(', ')}`, 2);
  return app;
}

/** What the app's Canopy entry holds: the endpoint and, in enterprise mode, an MCP client's token. */
async function entryFor(context: CliContext, ask: SetupAsk, app: AppId, flags: SetupFlags) {
  const credential = await credentialForApp(context.client(), (token) => new AdminClient({ baseUrl: context.registryUrl(), token }), {
    app,
    token: flags.token,
    clientName: flags.client,
    allow: flags.allow === undefined ? undefined : parseAllow(flags.allow),
    dryRun: Boolean(flags.dryRun),
    ask: ask === 'terminal' ? terminalAsk() : ask,
  });
  for (const note of credential.notes) context.output.note(note);
  return { url: flags.url ?? `${context.registryUrl()}${flags.search ? '/mcp/search' : '/mcp'}`, token: credential.token, bridge: thisCli(context.env).launcher };
}

async function setup(context: CliContext, host: HostLocation, ask: SetupAsk, app: AppId, flags: SetupFlags): Promise<void> {
  const entry = await entryFor(context, ask, app, flags);
  const result = await connectApp({ app, ...entry, dryRun: flags.dryRun, ...host });
  context.output.line(connectMessage(result));
  if (result.dryRun && result.diff) context.output.line(result.diff);
}

// migrate.ts reads configs with the server config schemas (zod): loaded when a scan, a migration or an undo runs.
const migration = () => import('../../core/connect-apps/migrate.ts');

async function scan(context: CliContext, host: HostLocation): Promise<void> {
  const { scanApps, sharedServers } = await migration();
  const scans = await scanApps(host);
  for (const app of scans) {
    if (!app.found) {
      context.output.line(`${app.displayName}: no MCP config (${app.path})`);
      continue;
    }
    const state = [app.connected ? 'uses Canopy' : '', app.canUndo ? `undo: canopy setup --undo ${app.app}` : ''].filter(Boolean).join('; ');
    const names = app.servers.map((server) => server.name).join(', ') || 'no servers';
    context.output.line(`${app.displayName} (${app.path}): ${app.error ?? names}${state ? ` [${state}]` : ''}`);
  }
  for (const shared of sharedServers(scans)) {
    context.output.line(`In several apps: ${shared.names.join(' / ')} (${shared.apps.map((app) => APPS[app].displayName).join(', ')}): imported once`);
  }
}

async function migrate(context: CliContext, host: HostLocation, ask: SetupAsk, app: AppId, flags: SetupFlags): Promise<void> {
  const { scanApp, migrateApp } = await migration();
  const found = await scanApp(app, host);
  if (found.error) throw new CliError(found.error);
  if (!found.found || found.servers.length === 0) throw new CliError(`${found.displayName} has no MCP servers to move (${found.path}).`);
  const only = flags.only?.split(',').map((name) => name.trim()).filter(Boolean);
  const unknown = only?.filter((name) => !found.servers.some((server) => server.name === name)) ?? [];
  if (unknown.length > 0) throw new CliError(`${found.displayName} has no server named ${unknown.join(', ')}: it has ${found.servers.map((s) => s.name).join(', ')}`, 2);
  const chosen = found.servers.filter((server) => !only || only.includes(server.name));

  const outcomes: ImportOutcome[] = [];
  if (!flags.dryRun) {
    const client = context.client();
    for (const entry of chosen) {
      const outcome = await importEntry(context, client, entry, false);
      outcomes.push(outcome);
      context.output.line(formatImportOutcome(outcome));
    }
  }
  // Only what Canopy now holds leaves the app; a failed entry stays where it works today.
  const imported = flags.dryRun ? chosen.map((entry) => entry.name) : outcomes.filter((outcome) => outcome.result !== 'failed').map((outcome) => outcome.name);
  const result = await migrateApp({ app, imported, dryRun: flags.dryRun, ...(await entryFor(context, ask, app, flags)), ...host });
  if (result.dryRun) {
    context.output.line(`Dry run: would import ${imported.join(', ')} into Canopy and leave ${result.displayName} with the Canopy entry only. Nothing was written.`);
    if (result.diff) context.output.line(result.diff);
    return;
  }
  context.output.line(
    `${result.displayName} now reaches ${result.removed.length === 0 ? 'its servers' : result.removed.join(', ')} through Canopy: ${result.path} ` +
      `(as it was before: ${result.backupPath}; \`canopy setup --undo ${app}\` puts it back).`,
  );
  if (APPS[app].restartHint) context.output.line(APPS[app].restartHint!);
  const failed = outcomes.filter((outcome) => outcome.result === 'failed');
  if (failed.length > 0) throw new CliError(`${importSummary(outcomes)}; ${failed.map((outcome) => outcome.name).join(', ')} stayed in ${result.displayName}`);
}

async function undo(context: CliContext, host: HostLocation, app: AppId): Promise<void> {
  const { undoMigration } = await migration();
  const result = await undoMigration(app, host);
  context.output.line(
    `Restored ${result.displayName}'s config as it was before the migration: ${result.path}` +
      `${result.replacedKeptAt ? ` (the file it replaced: ${result.replacedKeptAt})` : ''}. ` +
      'The servers stay registered in Canopy (`canopy deregister NAME` removes one).',
  );
}

async function run(context: CliContext, host: HostLocation, ask: SetupAsk, app: string | undefined, flags: SetupFlags): Promise<void> {
  const modes = [app !== undefined, flags.scan, flags.migrate !== undefined, flags.undo !== undefined].filter(Boolean).length;
  if (modes !== 1) throw new CliError('give one of: an app to connect, --scan, --migrate APP or --undo APP', 2);
  if (flags.search && flags.url !== undefined) {
    throw new CliError('give --url or --search, not both: --search points the app at the registry URL + /mcp/search; with --url, write that endpoint out', 2);
  }
  try {
    if (flags.scan) return await scan(context, host);
    if (flags.migrate !== undefined) return await migrate(context, host, ask, appId(flags.migrate), flags);
    if (flags.undo !== undefined) return await undo(context, host, appId(flags.undo));
    return await setup(context, host, ask, appId(app!), flags);
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
      .argument('[app]', APP_IDS.join(' | '))
      .summary("add Canopy to an app's MCP config, or move the app's servers into Canopy")
      .description(
        "Add Canopy to Cursor, Claude Desktop, Claude Code, VS Code, Windsurf or Zed: merges one `canopy` entry into the\n" +
          "app's MCP config file (Zed: `context_servers` in its settings.json; other entries and comments stay), writes a\n" +
          'backup first, and does nothing when it is already set up.\n' +
          'Claude Desktop only launches stdio servers, so it gets `canopy stdio-bridge`.\n' +
          "--scan lists the servers each app holds (and those several apps share). --migrate APP registers the app's servers\n" +
          'in Canopy (secrets from env/headers go to the secret store) and replaces them in the app with the one Canopy\n' +
          'entry, keeping the file as it was; --undo APP restores that file byte for byte (the servers stay in Canopy).\n' +
          '--search points the app at the search view (/mcp/search) instead of /mcp: it lists two tools, search_tools and\n' +
          'call_tool, instead of every tool of every server, for many servers or a model with little context.\n\n' +
          'Enterprise mode: /mcp takes MCP client tokens, so setup creates an MCP client for the app (named after it, or\n' +
          '--client) allowed what --allow says (asked on a terminal), and writes its token; your own login token is never\n' +
          'written. Needs an admin login (`canopy login`).',
      )
      .option('--scan', "show every app's MCP servers")
      .option('--migrate <app>', "move the app's servers into Canopy")
      .option('--undo <app>', 'restore the app config as it was before --migrate')
      .option('--only <names>', 'with --migrate: only these servers (comma-separated)')
      .option('--dry-run', 'show the change without writing anything')
      .option('--url <url>', "the gateway's MCP endpoint (default: the registry URL + /mcp)")
      .option('--search', 'point the app at the search view (the registry URL + /mcp/search) instead of /mcp')
      .option('--token <token>', "an MCP client's token for the app to send (enterprise mode; default: create an MCP client)")
      .option('--client <name>', 'enterprise mode: name of the MCP client to create for the app (default: the app id)')
      .option('--allow <list>', "enterprise mode: what the app's MCP client may use: server, server__tool or group names, '*' for all (asked on a terminal)")
      .action((app: string | undefined, flags: SetupFlags) =>
        run(context, host ?? { home: homedir(), platform: desktopPlatform(process.platform), env: context.env }, ask, app, flags),
      ),
    [
      'canopy setup cursor',
      'canopy setup claude-desktop --dry-run',
      'canopy setup cursor --search                  # search_tools + call_tool instead of every tool',
      'canopy setup vscode --url http://127.0.0.1:7450/mcp',
      'canopy setup cursor --allow github,research   # enterprise: creates MCP client "cursor"',
      'canopy setup --scan',
      'canopy setup --migrate cursor',
      'canopy setup --undo cursor',
    ],
  );
}
