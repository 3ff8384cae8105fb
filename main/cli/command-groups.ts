// Parent commands shared by several command files (`canopy list servers` and `canopy list users`,
// `canopy create user` and `canopy create group`): the first file to ask makes it, later ones add to it.
import type { Command } from 'commander';

export function commandGroup(program: Command, name: string, description: string): Command {
  return program.commands.find((command) => command.name() === name) ?? program.command(name).description(description);
}
