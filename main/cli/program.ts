// The `canopy` command itself: name, version, global options, help layout.
import { Command, Option } from 'commander';
import { DEFAULT_REGISTRY_URL, VERSION } from '../core/defaults.ts';

export function createProgram(): Command {
  return new Command('canopy')
    .description(
      'Canopy: one local MCP endpoint for all of your MCP servers. Every command but `serve` talks to a running gateway through its admin API.',
    )
    .version(VERSION, '-v, --version')
    .addOption(
      new Option('--registry <url>', 'the Canopy gateway to talk to').env('CANOPY_REGISTRY').default(DEFAULT_REGISTRY_URL),
    )
    .configureHelp({ showGlobalOptions: true })
    // Errors are one line: no "Did you mean …?" second line.
    .showSuggestionAfterError(false)
    .addHelpText(
      'after',
      '\nThe token for an enterprise gateway comes from CANOPY_TOKEN or `canopy login TOKEN`.\nRun `canopy <command> --help` for a command\'s options and examples.\n',
    );
}
