// Standalone `stdio-bridge` entry, bundled into the desktop app so the Claude Desktop config can
// launch it with the app's own binary (ELECTRON_RUN_AS_NODE=1) when no `canopy` CLI is installed.
// The desktop app always writes `--url`, so there is no registry to fall back on.
import { Command } from 'commander';
import { registerStdioBridgeCommand } from '../cli/commands/stdio-bridge.ts';

const program = new Command('canopy');
registerStdioBridgeCommand(program, {
  env: process.env,
  registryUrl: () => {
    throw new Error('--url is required (e.g. --url http://127.0.0.1:7450/mcp)');
  },
});
program.parseAsync(process.argv).catch((error: Error) => {
  process.stderr.write(`canopy stdio-bridge: ${error.message}\n`);
  process.exitCode = 1;
});
