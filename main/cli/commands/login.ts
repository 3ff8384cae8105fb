// `canopy login TOKEN`: saves the admin API token in the CLI settings file (0600). CANOPY_TOKEN,
// when set, wins over it.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { gatewayKey, saveToken } from '../cli-settings.ts';

export function registerLoginCommand(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('login')
      .argument('<token>', 'your Canopy access token')
      .summary('save the token the CLI sends to the gateway')
      .description(
        `Save an access token for an enterprise-mode gateway in ${context.settingsPath} (readable only by you).\n` +
          'The token is saved for the gateway --registry names and is sent only to that gateway.\n' +
          'The CANOPY_TOKEN environment variable, when set, is used instead (and sent to whatever --registry names).',
      )
      .action((token: string) => {
        if (!token.trim()) throw new CliError('the token is empty');
        const registry = context.registryUrl();
        saveToken(context.settingsPath, registry, token);
        context.output.line(`✓ token for ${gatewayKey(registry)} saved to ${context.settingsPath}`);
        if (context.env.CANOPY_TOKEN) context.output.warn('CANOPY_TOKEN is set in this environment and is used instead of the saved token');
      }),
    ['canopy login cnp_3f9a...', 'canopy login --registry https://mcp.example.com cnp_3f9a...', 'CANOPY_TOKEN=cnp_3f9a... canopy list servers'],
  );
}
