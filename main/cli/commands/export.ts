// `canopy export`: GET /export (secrets already replaced by placeholders), printed as one JSON file
// that `canopy import` reads back, or written as one `<name>.json` config file per server, ready for
// `canopy register -c`.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { ExportView } from '../../core/api/contract.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { plural } from '../format/server-summary.ts';

export interface ExportFile {
  path: string;
  enabled: boolean;
  /** The config file's text (the config format has no `enabled` field). */
  text: string;
}

export function exportFiles(view: ExportView, dir: string): ExportFile[] {
  return view.servers.map(({ enabled, ...config }) => ({
    path: join(dir, `${config.name}.json`),
    enabled,
    text: `${JSON.stringify(config, null, 2)}\n`,
  }));
}

export function registerExportCommand(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('export')
      .summary('write registered servers out as config files (without secrets)')
      .description(
        'Export the registry: without --dir, all servers as one JSON file on stdout ({"servers": [...]}, ' +
          'which `canopy import` reads back); with --dir, one <name>.json config file per server ' +
          '(MCPJungle format, ready for `canopy register -c`). Secrets are never exported: each becomes ' +
          'a ${SERVER_FIELD} placeholder, filled from your environment when the file is imported or ' +
          'registered. Existing files are not overwritten unless --force is given.',
      )
      .option('--dir <dir>', 'write one config file per server into this directory')
      .option('--force', 'overwrite existing files')
      .action(async (options: { dir?: string; force?: boolean }) => {
        const view = await context.client().exportServers();
        const { output } = context;
        if (options.dir === undefined) return output.json(view);
        const files = exportFiles(view, options.dir);
        if (files.length === 0) return output.note('no servers to export');
        if (!options.force) {
          const existing = files.filter((file) => existsSync(file.path));
          if (existing.length > 0) {
            const more = existing.length > 1 ? ` (and ${existing.length - 1} more)` : '';
            throw new CliError(`${existing[0].path} already exists${more}: use --force to overwrite`);
          }
        }
        mkdirSync(options.dir, { recursive: true });
        for (const file of files) {
          // `wx` also refuses a file that appeared since the check above.
          writeFileSync(file.path, file.text, { flag: options.force ? 'w' : 'wx' });
          output.line(`✓ ${file.path}${file.enabled ? '' : ' (disabled)'}`);
        }
        output.note(`exported ${plural(files.length, 'server')} to ${options.dir} (secrets left out)`);
      }),
    ['canopy export > servers.json   # later: canopy import servers.json', 'canopy export --dir ./canopy-servers', 'canopy export --dir ./canopy-servers --force'],
  );
}
