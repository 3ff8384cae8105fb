// `canopy import FILE`: each entry of a Claude Desktop / Cursor / VS Code `mcpServers` file or of a
// `canopy export`, with `${VAR}` placeholders expanded, registered through POST /servers; one
// ✓/=/!/✗ line per entry.
import type { Command } from 'commander';
import type { AdminClient } from '../../core/api/client.ts';
import { ApiError } from '../../core/api/client.ts';
import { ConfigError } from '../../core/config/config-error.ts';
import type { ImportEntry } from '../../core/config/mcp-servers-file.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { readJsonFile } from '../json-file.ts';
import { formatImportOutcome, importFailures, importSummary, type ImportOutcome } from '../format/import-report.ts';

export async function importEntry(
  context: CliContext,
  client: AdminClient,
  entry: ImportEntry,
  force: boolean,
): Promise<ImportOutcome> {
  const { name } = entry;
  if (!entry.config) return { name, result: 'failed', reason: entry.error ?? 'cannot be imported' };
  // The config schemas (zod) load when a command reads a config, not at every start of `canopy`.
  const { configFromJson } = await import('../server-config-source.ts');
  let config;
  try {
    config = configFromJson(entry.config, context.env);
  } catch (error) {
    if (error instanceof ConfigError) return { name, result: 'failed', reason: error.message };
    throw error;
  }
  const progress = context.output.progress(`registering '${name}'`);
  try {
    const result = await client.registerServer({ config, force, enabled: !entry.disabled });
    for (const warning of result.warnings) context.output.warn(`${name}: ${warning}`);
    if (result.authorizationUrl) return { name, result: 'needs_authorization', transport: result.server.transport };
    const { server } = result;
    if (result.unchanged) return { name, result: 'unchanged', transport: server.transport };
    return { name, result: 'registered', transport: server.transport, toolCount: server.toolCount, enabled: server.enabled };
  } catch (error) {
    // The gateway refused this entry; a gateway that cannot be reached stops the whole import.
    if (error instanceof ApiError && error.code !== 'network') return { name, result: 'failed', reason: error.message };
    throw error;
  } finally {
    progress.stop();
  }
}

export function registerImportCommand(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('import')
      .argument('<file>', 'an mcpServers JSON file, or what `canopy export` wrote')
      .summary('register the servers of a Claude Desktop / Cursor / VS Code config file or a Canopy export')
      .description(
        'Register every server of an mcpServers file (Claude Desktop, Cursor, VS Code mcp.json) or of ' +
          'a `canopy export`. ${VAR} placeholders are expanded from your environment (an export names ' +
          'its secrets this way). Entries marked disabled are registered disabled. A server already ' +
          'registered with the same config is left unchanged; one registered with a different config ' +
          'is an error (update it with `canopy update server`, or use --force). Prints one line per ' +
          'entry; exits non-zero if any entry failed.',
      )
      .option('--force', 'replace registered servers of the same names')
      .action(async (file: string, options: { force?: boolean }) => {
        const { parseMcpServersFile } = await import('../../core/config/mcp-servers-file.ts');
        let entries: ImportEntry[];
        try {
          entries = parseMcpServersFile(readJsonFile(file));
        } catch (error) {
          if (error instanceof ConfigError) throw new CliError(`${file}: ${error.message}`);
          throw error;
        }
        const client = context.client();
        const outcomes: ImportOutcome[] = [];
        for (const entry of entries) {
          const outcome = await importEntry(context, client, entry, Boolean(options.force));
          outcomes.push(outcome);
          context.output.line(formatImportOutcome(outcome));
        }
        if (importFailures(outcomes) > 0) throw new CliError(importSummary(outcomes));
        context.output.line(importSummary(outcomes));
      }),
    [
      'canopy import ~/Library/Application\\ Support/Claude/claude_desktop_config.json',
      'canopy import ~/.cursor/mcp.json',
      'canopy import .vscode/mcp.json --force',
      'canopy export > servers.json && canopy import servers.json',
    ],
  );
}
