// `canopy list servers|tools|prompts|resources`: GET /servers, /tools, /prompts, /resources
// (`?server=` filters), as tables or, with --json, as the API returns them.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { withExamples } from '../help.ts';
import { commandGroup } from '../command-groups.ts';
import { overrideTable, promptTable, resourceTable, serverTable, toolTable } from '../format/lists.ts';

interface ListOptions {
  json?: boolean;
  server?: string;
}

interface Listing<T> {
  what: string;
  fetch(server?: string): Promise<T[]>;
  table(items: T[], width?: number): string[];
  /** Printed (stderr) when there is nothing to list. */
  empty: string;
  /** Printed (stderr) after a non-empty table. */
  hint?: string;
}

function addListing<T>(list: Command, context: CliContext, listing: Listing<T>, filter: boolean): void {
  const command = list
    .command(listing.what)
    .description(`List ${listing.what}${filter ? ' (of all servers, or of one with --server)' : ''}`)
    .option('--json', 'print JSON (as the admin API returns it)');
  if (filter) command.option('--server <name>', 'only this server');
  command.action(async (options: ListOptions) => {
    const items = await listing.fetch(options.server);
    const { output } = context;
    if (options.json) return output.json(items);
    if (items.length === 0) return output.note(listing.empty);
    for (const line of listing.table(items, output.width)) output.line(line);
    if (listing.hint) output.note(`\n${listing.hint}`);
  });
  withExamples(command, [
    `canopy list ${listing.what}`,
    ...(filter ? [`canopy list ${listing.what} --server everything`] : []),
    `canopy list ${listing.what} --json`,
  ]);
}

export function registerListCommands(program: Command, context: CliContext): void {
  const list = commandGroup(program, 'list');
  addListing(
    list,
    context,
    {
      what: 'servers',
      fetch: () => context.client().listServers(),
      table: (servers, width) => serverTable(servers, width),
      empty: 'No servers registered. Add one with `canopy register`, or import your Claude/Cursor config with `canopy import FILE`.',
    },
    false,
  );
  addListing(
    list,
    context,
    {
      what: 'tools',
      fetch: (server) => context.client().listTools(server),
      table: toolTable,
      empty: 'No tools. Register a server with `canopy register`.',
      hint: "Run `canopy usage TOOL` to see a tool's input, `canopy invoke TOOL --input JSON` to call it.",
    },
    true,
  );
  addListing(
    list,
    context,
    {
      what: 'prompts',
      fetch: (server) => context.client().listPrompts(server),
      table: promptTable,
      empty: 'No prompts.',
      hint: 'Arguments marked * are required.',
    },
    true,
  );
  addListing(
    list,
    context,
    {
      what: 'overrides',
      fetch: (server) => context.client().listOverrides(server),
      table: overrideTable,
      empty: 'No tool overrides. Change a tool with `canopy tool override TOOL --name NAME`.',
    },
    true,
  );
  addListing(
    list,
    context,
    {
      what: 'resources',
      fetch: (server) => context.client().listResources(server),
      table: resourceTable,
      empty: 'No resources.',
    },
    true,
  );
}
