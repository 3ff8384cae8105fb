// `canopy serve`: runs the gateway in this process until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { resolveServeSettings, type ServeFlags, type ServeSettings } from '../serve-settings.ts';
import { thisCli } from '../cli-launcher.ts';
import { INSTALL_DIR, RENDERER_DIR } from '../install-dir.ts';
import type { LogFormat } from '../../core/telemetry/logger.ts';
import type { Gateway } from '../../core/index.ts';

const STOP_TIMEOUT_MS = 15_000;

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
      resolve(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}

export interface ServeCommandFlags extends ServeFlags {
  logFormat?: string;
}

/** `--log-format`, else readable lines on a terminal and JSON otherwise (a file, a pipe, a log collector). */
function logFormat(flag: string | undefined, stderrIsTty: boolean, LOG_FORMATS: readonly LogFormat[]): LogFormat {
  if (flag === undefined) return stderrIsTty ? 'pretty' : 'json';
  if (!(LOG_FORMATS as readonly string[]).includes(flag)) throw new CliError(`--log-format: "${flag}" is not one of ${LOG_FORMATS.join(', ')}`);
  return flag as LogFormat;
}

/** Where MCP clients sign in, and who vouches for the people; nothing without a public URL. */
function signInLines(signIn: Gateway['signIn']): string[] {
  if (!signIn) return [];
  if (signIn.externalIssuer) return [`  Sign-in:       OAuth tokens from ${signIn.externalIssuer}, for ${signIn.publicUrl}/mcp`];
  return [
    `  Sign-in:       OAuth at ${signIn.publicUrl} (clients connect to ${signIn.publicUrl}/mcp)`,
    signIn.companyIdp
      ? `  People log in: at ${signIn.companyIdp}`
      : '  People log in: nowhere yet: set CANOPY_SSO_ISSUER, CANOPY_SSO_CLIENT_ID and CANOPY_SSO_CLIENT_SECRET',
  ];
}

/** What a user needs first: where things are, and what to do before anything works. */
function banner(gateway: Gateway, settings: ServeSettings, store: string, cliCommand: string): string[] {
  const lines = [
    `Canopy is running (${settings.mode} mode)`,
    `  MCP endpoint:  ${gateway.url}/mcp`,
    existsSync(join(RENDERER_DIR, 'index.html'))
      ? `  Web UI:        ${gateway.url}/`
      : `  Web UI:        not built: run \`npm run build\` in ${INSTALL_DIR} (no restart needed)`,
    `  Admin API:     ${gateway.url}/api/v0`,
    `  Store:         ${store}`,
    `  Data dir:      ${settings.dataDir}`,
    ...signInLines(gateway.signIn),
  ];
  const pending = gateway.pendingInitialization();
  if (pending) {
    lines.push(
      '',
      'Not initialized: create the first administrator before anything else works.',
      `  On this host:  ${cliCommand} init-server --registry ${gateway.url}`,
      pending.initToken
        ? `  Elsewhere:     ${cliCommand} init-server --registry <this gateway's URL> --init-token ${pending.initToken}`
        : '  Elsewhere:     add --init-token with the CANOPY_INIT_TOKEN this gateway was started with',
    );
  }
  lines.push('Press Ctrl-C to stop.');
  return lines;
}

async function serve(context: CliContext, flags: ServeCommandFlags): Promise<void> {
  const { output } = context;
  const settings = resolveServeSettings(flags, context.env);
  // Loaded here, not at the top: every other command is an HTTP client and should start fast.
  const { createLogger, logLevelFrom, LOG_FORMATS } = await import('../../core/telemetry/logger.ts');
  let logger;
  try {
    logger = createLogger({ level: logLevelFrom(context.env), format: logFormat(flags.logFormat, process.stderr.isTTY === true, LOG_FORMATS) });
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  // The login shell is read while the gateway's modules load and it starts listening; stdio servers wait for it.
  const { loadLoginShellEnvironment } = await import('../../core/upstream/login-shell-env.ts');
  const reading = loadLoginShellEnvironment();
  const [{ createGateway, PortInUseError }, { describeLocation }] = await Promise.all([import('../../core/index.ts'), import('../../core/store/open.ts')]);
  const cli = thisCli(context.env);
  const gateway = await createGateway({ ...settings, env: reading.then((shell) => shell.env), rendererDir: RENDERER_DIR, cli, logger });
  try {
    await gateway.start();
  } catch (error) {
    await gateway.stop().catch(() => undefined);
    // The gateway's own message also names the desktop setting; here only --port applies.
    if (error instanceof PortInUseError) {
      throw new CliError(`port ${error.port} is in use: stop the other process or pick another with --port`);
    }
    throw error;
  }
  // Noted once the gateway runs: a refused start (data dir in use, port taken) stays one error line.
  const shell = await reading;
  if (shell.source === 'process' && shell.reason && process.platform !== 'win32') {
    output.note(`stdio servers get this shell's environment (login shell not read: ${shell.reason})`);
  }
  // Listen before the banner: whoever reads it (a supervisor, a test) may signal at once, and an
  // unhandled SIGTERM would kill the process without stopping the gateway or releasing its lock.
  const stopSignal = nextStopSignal();
  for (const line of banner(gateway, settings, describeLocation(settings.store), cli.commandLine ?? 'canopy')) output.line(line);

  const signal = await stopSignal;
  output.note(`${signal}: stopping (Ctrl-C again to quit at once)`);
  // A second signal while stopping exits at once (the gateway kills its children on exit too).
  const force = () => process.exit(130);
  process.once('SIGINT', force);
  process.once('SIGTERM', force);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), STOP_TIMEOUT_MS);
  });
  try {
    const result = await Promise.race([gateway.stop().then(() => 'stopped' as const), timedOut]);
    if (result === 'timeout') throw new CliError(`the gateway did not stop within ${STOP_TIMEOUT_MS / 1000}s; exiting anyway`);
    output.note('stopped');
  } finally {
    clearTimeout(timer);
    // Whatever is left (a stuck socket, a stop that timed out) must not keep the process alive.
    setTimeout(() => process.exit(), 1_000).unref();
  }
}

export function registerServeCommand(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('serve')
      .summary('run the gateway')
      .description(
        'Run the Canopy gateway in this terminal: the MCP endpoint, the admin API and the web UI. ' +
          'Data lives in SQLite in your data dir unless --db or --database-url says otherwise.\n\n' +
          'Environment: CANOPY_HOST, CANOPY_PORT, CANOPY_DB_PATH, DATABASE_URL, CANOPY_MODE=enterprise ' +
          '(flags win over the environment). Enterprise sign-in: CANOPY_PUBLIC_URL, CANOPY_SSO_ISSUER, CANOPY_SSO_CLIENT_ID, ' +
          'CANOPY_SSO_CLIENT_SECRET, CANOPY_SSO_GROUPS_CLAIM, CANOPY_SSO_ADMIN_GROUPS (see README).\n\n' +
          'Logs go to stderr: readable lines on a terminal, JSON lines otherwise (or as --log-format says). ' +
          'CANOPY_LOG_LEVEL=trace|debug|info|warn|error|silent sets how much (default info; debug adds error stacks).',
      )
      .option('--host <host>', 'address to listen on (default 127.0.0.1)')
      .option('--port <port>', 'port to listen on; 0 picks a free one (default 7450)')
      .option('--db <path>', 'SQLite database file')
      .option('--database-url <url>', 'PostgreSQL URL, for a gateway shared by a team')
      .option('--enterprise', 'enterprise mode: clients and users must authenticate')
      .option('--allowed-hosts <names>', 'comma-separated host names clients may use besides loopback names (env CANOPY_ALLOWED_HOSTS)')
      .option('--allowed-origins <origins>', 'comma-separated browser origins allowed besides loopback (env CANOPY_ALLOWED_ORIGINS)')
      .option('--public-url <url>', 'enterprise sign-in: the https URL clients reach Canopy at, its OAuth issuer (env CANOPY_PUBLIC_URL)')
      .option('--log-format <format>', 'json | pretty (default: pretty on a terminal, json otherwise)')
      .action((flags: ServeCommandFlags) => serve(context, flags)),
    ['canopy serve', 'canopy serve --port 7451 --db ./canopy.db', 'DATABASE_URL=postgres://canopy@db/canopy canopy serve --host 0.0.0.0 --enterprise'],
  );
}
