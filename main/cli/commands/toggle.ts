// `canopy enable|disable [server|tool|prompt] NAME`: POST /{servers|tools|prompts}/{name}/{enable|disable}.
// Without a kind, a name with "__" is a tool and any other name a server (as in MCPJungle).
import type { Command } from 'commander';
import { NAME_SEPARATOR } from '../../core/config/names.ts';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { stateLabel } from '../format/server-state.ts';

export const TOGGLE_KINDS = ['server', 'tool', 'prompt'] as const;
export type ToggleKind = (typeof TOGGLE_KINDS)[number];

export function resolveToggleTarget(first: string, second: string | undefined): { kind: ToggleKind; name: string } {
  if (second === undefined) return { kind: first.includes(NAME_SEPARATOR) ? 'tool' : 'server', name: first };
  const kind = TOGGLE_KINDS.find((candidate) => candidate === first);
  if (!kind) throw new CliError(`unknown kind '${first}': use server, tool or prompt (e.g. \`canopy enable tool github__create_issue\`)`);
  return { kind, name: second };
}

async function toggle(context: CliContext, first: string, second: string | undefined, enabled: boolean): Promise<void> {
  const { kind, name } = resolveToggleTarget(first, second);
  const client = context.client();
  const verb = enabled ? 'enabled' : 'disabled';
  if (kind === 'server') {
    const server = await client.setServerEnabled(name, enabled);
    context.output.line(`✓ ${verb} server '${name}'${enabled ? ` (${stateLabel(server)})` : ''}`);
  } else {
    await (kind === 'tool' ? client.setToolEnabled(name, enabled) : client.setPromptEnabled(name, enabled));
    context.output.line(`✓ ${verb} ${kind} '${name}'`);
  }
}

export function registerToggleCommands(program: Command, context: CliContext): void {
  for (const enabled of [true, false]) {
    const verb = enabled ? 'enable' : 'disable';
    withExamples(
      program
        .command(verb)
        .argument('<kind-or-name>', 'server, tool or prompt; or the name itself')
        .argument('[name]', 'the server, tool (server__tool) or prompt (server__prompt) name')
        .summary(`${verb} a server, tool or prompt`)
        .description(
          `${enabled ? 'Enable' : 'Disable'} a server, a tool or a prompt. ${
            enabled ? 'It comes back into' : 'It disappears from'
          } every MCP client's lists at once.\n` +
            'Without a kind, a name containing "__" is a tool and any other name a server.',
        )
        .action((first: string, second: string | undefined) => toggle(context, first, second, enabled)),
      [`canopy ${verb} server github`, `canopy ${verb} tool github__delete_repo`, `canopy ${verb} prompt everything__simple-prompt`, `canopy ${verb} github__delete_repo`],
    );
  }
}
