// `canopy login TOKEN`: saves the admin API token in the CLI settings file (0600). CANOPY_TOKEN,
// when set, wins over it.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { writeCliSettings } from '../cli-settings.ts';

export function registerLoginCommand(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('login')
      .argument('<token>', 'your Canopy access token')
      .summary('save the token the CLI sends to the gateway')
      .description(
        `Save an access token for an enterprise-mode gateway in ${context.settingsPath} (readable only by you).\n` +
          'The CANOPY_TOKEN environment variable, when set, is used instead.',
      )
      .action((token: string) => {
        if (!token.trim()) throw new CliError('the token is empty');
        writeCliSettings(context.settingsPath, { token });
        context.output.line(`✓ token saved to ${context.settingsPath}`);
        if (context.env.CANOPY_TOKEN) context.output.warn('CANOPY_TOKEN is set in this environment and is used instead of the saved token');
      }),
    ['canopy login cnp_3f9a...', 'CANOPY_TOKEN=cnp_3f9a... canopy list servers'],
  );
}
