// `canopy serve`: runs the gateway in this process until SIGINT/SIGTERM.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { resolveServeSettings, type ServeFlags } from '../serve-settings.ts';
import { loadLoginShellEnvironment } from '../../core/upstream/login-shell-env.ts';

const STOP_TIMEOUT_MS = 15_000;

/** The built web UI, when `vite build` has run. */
function rendererDir(): string | undefined {
  const dir = fileURLToPath(new URL('../../../dist/renderer', import.meta.url));
  return existsSync(dir) ? dir : undefined;
}

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

async function serve(context: CliContext, flags: ServeFlags): Promise<void> {
  const { output } = context;
  const settings = resolveServeSettings(flags, context.env);
  const shell = await loadLoginShellEnvironment();
  if (shell.source === 'process' && shell.reason && process.platform !== 'win32') {
    output.note(`stdio servers get this shell's environment (login shell not read: ${shell.reason})`);
  }
  // Loaded here, not at the top: every other command is an HTTP client and should start fast.
  const [{ createGateway, PortInUseError }, { describeLocation }] = await Promise.all([
    import('../../core/index.ts'),
    import('../../core/store/open.ts'),
  ]);
  const gateway = await createGateway({ ...settings, env: shell.env, rendererDir: rendererDir() });
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
  output.line(`Canopy is running (${settings.mode} mode)`);
  output.line(`  MCP endpoint:  ${gateway.url}/mcp`);
  output.line(`  Admin API/UI:  ${gateway.url}`);
  output.line(`  Store:         ${describeLocation(settings.store)}`);
  output.line(`  Data dir:      ${settings.dataDir}`);
  output.line('Press Ctrl-C to stop.');

  const signal = await nextStopSignal();
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
          '(flags win over the environment).',
      )
      .option('--host <host>', 'address to listen on (default 127.0.0.1)')
      .option('--port <port>', 'port to listen on; 0 picks a free one (default 7450)')
      .option('--db <path>', 'SQLite database file')
      .option('--database-url <url>', 'PostgreSQL URL, for a gateway shared by a team')
      .option('--enterprise', 'enterprise mode: clients and users must authenticate')
      .option('--allowed-hosts <names>', 'comma-separated host names clients may use besides loopback names (env CANOPY_ALLOWED_HOSTS)')
      .option('--allowed-origins <origins>', 'comma-separated browser origins allowed besides loopback (env CANOPY_ALLOWED_ORIGINS)')
      .action((flags: ServeFlags) => serve(context, flags)),
    ['canopy serve', 'canopy serve --port 7451 --db ./canopy.db', 'DATABASE_URL=postgres://canopy@db/canopy canopy serve --host 0.0.0.0 --enterprise'],
  );
}
