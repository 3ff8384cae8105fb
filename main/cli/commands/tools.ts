// `canopy usage TOOL` (GET /tools/{name}), `canopy invoke TOOL` (POST /tools/{name}/invoke) and
// `canopy tool override TOOL` (PATCH or DELETE /tools/{name}/override).
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { formatToolUsage } from '../format/tool-usage.ts';
import { formatToolResult } from '../format/tool-result.ts';
import { describeOverride } from '../format/lists.ts';
import type { ToolOverrideBody } from '../../core/api/contract.ts';

interface OverrideFlags {
  name?: string;
  description?: string;
  hide?: boolean;
  show?: boolean;
  clear?: boolean;
}

/** The change the flags ask for; `undefined` for --clear. */
function overrideChange(flags: OverrideFlags): ToolOverrideBody | undefined {
  const given = [flags.name, flags.description, flags.hide, flags.show].some((flag) => flag !== undefined);
  if (flags.clear) {
    if (given) throw new CliError('--clear puts everything back: give it alone');
    return undefined;
  }
  if (!given) throw new CliError('nothing to change: give --name, --description, --hide or --show, or --clear (see `canopy tool override --help`)');
  if (flags.hide && flags.show) throw new CliError('give either --hide or --show, not both');
  return {
    ...(flags.name !== undefined ? { name: flags.name } : {}),
    ...(flags.description !== undefined ? { description: flags.description } : {}),
    ...(flags.hide || flags.show ? { hidden: Boolean(flags.hide) } : {}),
  };
}

export function parseToolInput(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`--input is not valid JSON (${(error as Error).message}); e.g. --input '{"message": "hi"}'`);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new CliError(`--input must be a JSON object of the tool's arguments, e.g. --input '{"message": "hi"}'`);
  }
  return value as Record<string, unknown>;
}

export function registerToolCommands(program: Command, context: CliContext): void {
  withExamples(
    program
      .command('usage')
      .argument('<tool>', 'tool name (server__tool)')
      .summary("show a tool's description and input")
      .description("Show a tool's description and its input parameters: type, required or optional, default, description.")
      .option('--json', 'print the tool as JSON (with its raw input schema)')
      .action(async (name: string, options: { json?: boolean }) => {
        const tool = await context.client().getTool(name);
        if (options.json) return context.output.json(tool);
        for (const line of formatToolUsage(tool)) context.output.line(line);
      }),
    ['canopy usage everything__echo', 'canopy usage everything__echo --json'],
  );

  withExamples(
    program
      .command('invoke')
      .argument('<tool>', 'tool name (server__tool)')
      .summary('call a tool')
      .description(
        'Call a tool through Canopy and print its result: text as it is, images, audio and resources ' +
          'as a note, structured content as JSON. Exits non-zero when the tool reports an error.',
      )
      .option('--input <json>', "the tool's arguments as a JSON object", '{}')
      .option('--json', 'print the raw MCP result as JSON')
      .action(async (name: string, options: { input: string; json?: boolean }) => {
        const input = parseToolInput(options.input);
        const progress = context.output.progress(`calling ${name}`);
        let result;
        try {
          result = await context.client().invokeTool(name, input);
        } finally {
          progress.stop();
        }
        if (options.json) context.output.json(result);
        else for (const line of formatToolResult(result)) context.output.line(line);
        if (result.isError) throw new CliError(`tool '${name}' returned an error`);
      }),
    [`canopy invoke everything__echo --input '{"message": "hello"}'`, 'canopy invoke memory__read_graph', `canopy invoke everything__get-sum --input '{"a": 1, "b": 2}' --json`],
  );

  withExamples(
    program
      .command('tool')
      .description('Change how a tool is listed (see `canopy tool override --help`)')
      .command('override')
      .argument('<tool>', 'the tool: its listed name, or server__tool with the upstream\'s own name')
      .summary("change a tool's name, description or visibility for every MCP client")
      .description(
        "Override how a tool is listed on every endpoint (/mcp, groups, the server's own endpoint): another " +
          'name (letters, digits, "_" and "-"; refused when another tool is listed under it), another ' +
          'description, or hidden. Overrides are kept when the server refreshes its tool list. An empty ' +
          "--name \"\" or --description \"\" puts back the upstream's; --clear puts back everything.",
      )
      .option('--name <name>', 'the name clients call it by (prefixed with the server on /mcp)')
      .option('--description <text>', 'the description clients read')
      .option('--hide', 'hide it from every client (like `canopy disable tool`)')
      .option('--show', 'show it again')
      .option('--clear', "the upstream's name and description, shown")
      .action(async (tool: string, flags: OverrideFlags) => {
        const change = overrideChange(flags);
        const client = context.client();
        const result = change ? await client.setToolOverride(tool, change) : await client.clearToolOverride(tool);
        context.output.line(`✓ ${describeOverride(result)}`);
        if (result.problem) context.output.warn(result.problem);
      }),
    [
      'canopy tool override github__create_issue --name new_issue',
      'canopy tool override github__new_issue --description "Open an issue in our tracker"',
      'canopy tool override github__delete_repo --hide',
      'canopy tool override github__new_issue --clear',
    ],
  );
}
