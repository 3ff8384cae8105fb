// Parent commands shared by several command files (`canopy list servers` and `canopy list users`,
// `canopy create user` and `canopy create group`): the first file to ask makes it, later ones add to it.
import type { Command } from 'commander';

const GROUPS = {
  list: 'List servers, tools, prompts, overrides, resources, users, MCP clients, OAuth client rules or groups',
  create: 'Create a user, an MCP client, an OAuth client rule or a tool group',
  update: 'Change a server, a user, an MCP client, an OAuth client rule or a tool group',
  delete: 'Delete a user, an MCP client, an OAuth client rule or a tool group',
  get: 'Show one item in detail',
} as const;

export function commandGroup(program: Command, name: keyof typeof GROUPS): Command {
  return program.commands.find((command) => command.name() === name) ?? program.command(name).description(GROUPS[name]);
}
