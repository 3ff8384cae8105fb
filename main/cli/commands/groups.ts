// Tool groups: `canopy create|update|delete|list group(s)` and `canopy get group` (/groups of the
// admin API). A group is given by flags or by a config file in MCPJungle's format.
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { commandGroup } from '../command-groups.ts';
import { readJsonFile } from '../json-file.ts';
import { formatTable } from '../format/table.ts';
import type { GroupConfig, GroupView } from '../../core/api/contract.ts';

interface GroupFlags {
  conf?: string;
  description?: string;
  servers?: string;
  tools?: string;
  exclude?: string;
}

const split = (value: string | undefined) => value?.split(',').map((item) => item.trim()).filter(Boolean);

function addGroupFlags(command: Command): Command {
  return command
    .option('-c, --conf <file>', 'group config file (JSON: name, description, included_servers, included_tools, excluded_tools)')
    .option('--description <text>', 'what the group is for')
    .option('--servers <names>', 'whole servers to include, comma-separated')
    .option('--tools <names>', 'single tools to include (server__tool), comma-separated')
    .option('--exclude <names>', 'tools to leave out even when their server is included (server__tool), comma-separated');
}

function groupConfig(name: string | undefined, flags: GroupFlags): GroupConfig {
  const file = flags.conf ? (readJsonFile(flags.conf) as Partial<GroupConfig>) : {};
  const config: Partial<GroupConfig> = {
    ...file,
    ...(name ? { name } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.servers !== undefined ? { included_servers: split(flags.servers) } : {}),
    ...(flags.tools !== undefined ? { included_tools: split(flags.tools) } : {}),
    ...(flags.exclude !== undefined ? { excluded_tools: split(flags.exclude) } : {}),
  };
  if (!config.name) throw new CliError('a group needs a name: give NAME or "name" in the config file');
  return config as GroupConfig;
}

function groupTable(groups: GroupView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'NAME', value: (group) => group.name },
      { header: 'SERVERS', value: (group) => group.includedServers.join(',') },
      { header: 'TOOLS', value: (group) => group.includedTools.join(',') },
      { header: 'EXCLUDED', value: (group) => group.excludedTools.join(',') },
      { header: 'ENDPOINT', value: (group) => group.mcpUrl },
    ],
    groups,
    width,
  );
}

export function registerGroupCommands(program: Command, context: CliContext): void {
  const create = commandGroup(program, 'create');
  const update = commandGroup(program, 'update');
  const remove = commandGroup(program, 'delete');
  const list = commandGroup(program, 'list');
  const get = commandGroup(program, 'get');

  withExamples(
    addGroupFlags(
      create
        .command('group')
        .argument('[name]', 'group name (or "name" in the config file)')
        .description(
          'Create a tool group: whole servers, single tools and prompts, minus exclusions (which win). It is served at ' +
            '/groups/NAME/mcp, and MCP client allow-lists may name it.',
        ),
    ).action(async (name: string | undefined, flags: GroupFlags) => {
      const group = await context.client().createGroup(groupConfig(name, flags));
      context.output.line(`✓ created group '${group.name}': ${group.mcpUrl}`);
    }),
    ['canopy create group research --servers deepwiki,arxiv --exclude arxiv__download', 'canopy create group -c ./group.json'],
  );

  withExamples(
    addGroupFlags(update.command('group').argument('<name>', 'group name').description("Replace a group's contents (open sessions see the change at once).")).action(
      async (name: string, flags: GroupFlags) => {
        const { name: _name, ...config } = groupConfig(name, flags);
        const group = await context.client().updateGroup(name, config);
        context.output.line(`✓ updated group '${group.name}'`);
      },
    ),
    ['canopy update group research --servers deepwiki'],
  );

  withExamples(
    remove
      .command('group')
      .argument('<name>', 'group name')
      .description('Delete a tool group. Allow-list entries naming it then grant nothing.')
      .action(async (name: string) => {
        await context.client().deleteGroup(name);
        context.output.line(`✓ deleted group '${name}'`);
      }),
    ['canopy delete group research'],
  );

  withExamples(
    list
      .command('groups')
      .description('List tool groups and their endpoints')
      .option('--json', 'print JSON (as the admin API returns it)')
      .action(async (options: { json?: boolean }) => {
        const groups = await context.client().listGroups();
        if (options.json) return context.output.json(groups);
        if (groups.length === 0) return context.output.note('No groups. Create one with `canopy create group NAME --servers ...`.');
        for (const line of groupTable(groups, context.output.width)) context.output.line(line);
      }),
    ['canopy list groups'],
  );

  withExamples(
    get
      .command('group')
      .argument('<name>', 'group name')
      .description('Show a tool group as JSON')
      .action(async (name: string) => context.output.json(await context.client().getGroup(name))),
    ['canopy get group research'],
  );
}
