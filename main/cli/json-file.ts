// Reads a JSON file the user named (a server config, an mcpServers file). Comments and trailing
// commas are accepted, as in VS Code's and Cursor's own files; errors say where the file is wrong.
import { readFileSync } from 'node:fs';
import { parse, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { CliError } from './errors.ts';

function position(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** The words of a jsonc-parser error code: "CommaExpected" → "comma expected". */
function describeCode(error: ParseError): string {
  return printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError(`${path}: no such file`);
    if (code === 'EISDIR') throw new CliError(`${path} is a directory, not a JSON file`);
    throw new CliError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (!text.trim()) throw new CliError(`${path} is empty`);
  const errors: ParseError[] = [];
  const value = parse(text, errors, { allowTrailingComma: true, disallowComments: false }) as unknown;
  const first = errors[0];
  if (first) throw new CliError(`${path} is not valid JSON (${position(text, first.offset)}: ${describeCode(first)})`);
  if (value === undefined) throw new CliError(`${path} holds no JSON value`);
  return value;
}
