// `canopy stdio-bridge`: for apps that only launch stdio MCP servers (Claude Desktop). The relay
// itself (../stdio-bridge-relay.ts) loads when the command runs.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';

/** The bridge needs only these from the CLI context (the desktop app's bundled bridge passes its own). */
export type StdioBridgeContext = Pick<CliContext, 'registryUrl' | 'env'>;

export function registerStdioBridgeCommand(program: Command, context: StdioBridgeContext): Command {
  return program
    .command('stdio-bridge')
    .summary('relay MCP between stdio and the gateway')
    .description(
      "Relay MCP over stdin/stdout to Canopy's streamable-HTTP endpoint, for apps that only launch stdio servers\n" +
        '(`canopy setup claude-desktop` configures it). Ends when stdin closes; errors go to stderr.',
    )
    .option('--url <url>', "the gateway's MCP endpoint (default: the registry URL + /mcp)")
    .option('--token <token>', 'bearer token, when the gateway needs one (default: $CANOPY_TOKEN)')
    .action(async (opts: { url?: string; token?: string }) => {
      const url = opts.url ?? `${context.registryUrl()}/mcp`;
      if (!URL.canParse(url)) throw new CliError(`--url: "${url}" is not a URL (e.g. http://127.0.0.1:7450/mcp)`, 2);
      const { runStdioBridge } = await import('../stdio-bridge-relay.ts');
      await runStdioBridge({ url, token: opts.token ?? (context.env.CANOPY_TOKEN || undefined) });
    });
}
