// Entry point of the `canopy` command (bin/canopy.mjs runs its bundle, scripts/build-cli.mjs). Registers one group of
// commands per file in ./commands, runs the one asked for, and turns any failure into one line.
import { createProgram } from './program.ts';
import { createContext } from './context.ts';
import { createOutput } from './output.ts';
import { cliSettingsPath } from './cli-settings.ts';
import { errorLine, exitCodeOf } from './errors.ts';
import { registerServeCommand } from './commands/serve.ts';
import { registerRegisterCommands } from './commands/register.ts';
import { registerServerCommands } from './commands/servers.ts';
import { registerToggleCommands } from './commands/toggle.ts';
import { registerListCommands } from './commands/list.ts';
import { registerToolCommands } from './commands/tools.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerStatusCommands } from './commands/status.ts';
import { registerLoginCommand } from './commands/login.ts';
import { registerSetupCommand } from './commands/setup.ts';
import { registerStdioBridgeCommand } from './commands/stdio-bridge.ts';
import { registerInitServerCommands } from './commands/init-server.ts';
import { registerIdentityCommands } from './commands/identities.ts';
import { registerOAuthClientRuleCommands } from './commands/oauth-client-rules.ts';
import { registerGroupCommands } from './commands/groups.ts';
import { registerConnectionCommands } from './commands/connections.ts';
import { registerAuditCommand } from './commands/audit.ts';

// `canopy list tools | head` closes stdout early: that is the reader's choice, not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = createProgram();
const context = createContext(program, {
  output: createOutput(process.stdout, process.stderr),
  env: process.env,
  settingsPath: cliSettingsPath(),
});

registerServeCommand(program, context);
registerRegisterCommands(program, context);
registerServerCommands(program, context);
registerToggleCommands(program, context);
registerListCommands(program, context);
registerToolCommands(program, context);
registerImportCommand(program, context);
registerExportCommand(program, context);
registerStatusCommands(program, context);
registerLoginCommand(program, context);
registerInitServerCommands(program, context);
registerIdentityCommands(program, context);
registerOAuthClientRuleCommands(program, context);
registerGroupCommands(program, context);
registerConnectionCommands(program, context);
registerAuditCommand(program, context);
registerSetupCommand(program, context);
registerStdioBridgeCommand(program, context);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.stderr.write(`error: ${errorLine(error, Boolean(process.env.CANOPY_DEBUG))}\n`);
  process.exitCode = exitCodeOf(error);
}
