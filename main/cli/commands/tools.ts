// `canopy usage TOOL` (GET /tools/{name}) and `canopy invoke TOOL` (POST /tools/{name}/invoke).
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';
import { withExamples } from '../help.ts';
import { formatToolUsage } from '../format/tool-usage.ts';
import { formatToolResult } from '../format/tool-result.ts';

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
}
