// Sets one entry inside a JSON / JSONC config file's text, leaving everything else (other entries,
// comments, formatting) as it was: jsonc-parser computes minimal edits instead of re-serialising.
import { applyEdits, format, modify, parse, printParseErrorCode, type FormattingOptions, type ParseError } from 'jsonc-parser';

export class MalformedConfigError extends Error {
  override name = 'MalformedConfigError';
}

export interface SetEntryRequest {
  format: 'json' | 'jsonc';
  /** e.g. ['mcpServers', 'canopy'] */
  path: [string, string];
  value: Record<string, unknown>;
}

export interface SetEntryResult {
  text: string;
  /** The value that was at the path before, if any. */
  previous: unknown;
  changed: boolean;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split(/\r?\n/);
  return `line ${before.length}, column ${before[before.length - 1].length + 1}`;
}

/** Indentation and line endings as the file already uses them. */
function detectFormatting(text: string): FormattingOptions {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const indent = /^([ \t]+)["}\]]/m.exec(text)?.[1];
  if (indent?.startsWith('\t')) return { insertSpaces: false, tabSize: 1, eol };
  return { insertSpaces: true, tabSize: indent ? indent.length : 2, eol };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of JSON values (object key order does not matter). */
function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && sameJson(a[key], b[key]));
  }
  return a === b;
}

/** Parses like the app will; throws MalformedConfigError (what is wrong and where) instead of guessing. */
export function parseConfig(text: string, format: 'json' | 'jsonc'): Record<string, unknown> {
  const errors: ParseError[] = [];
  const root: unknown = parse(text, errors, {
    disallowComments: format === 'json',
    allowTrailingComma: format === 'jsonc',
    allowEmptyContent: false,
  });
  const [first] = errors;
  if (first) {
    throw new MalformedConfigError(
      `is not valid ${format === 'json' ? 'JSON' : 'JSON with comments'} (${lineAndColumn(text, first.offset)}: ${printParseErrorCode(first.error)})`,
    );
  }
  if (!isPlainObject(root)) throw new MalformedConfigError('does not hold a JSON object at the top level');
  return root;
}

export function setEntry(text: string, { format, path, value }: SetEntryRequest): SetEntryResult {
  if (text.trim() === '') {
    return { text: `${JSON.stringify({ [path[0]]: { [path[1]]: value } }, null, 2)}\n`, previous: undefined, changed: true };
  }
  const root = parseConfig(text, format);
  const servers = root[path[0]];
  if (servers !== undefined && !isPlainObject(servers)) {
    throw new MalformedConfigError(`has a "${path[0]}" that is not an object`);
  }
  const previous = servers?.[path[1]];
  if (sameJson(previous, value)) return { text, previous, changed: false };
  return { text: formattedEdit(text, path, value), previous, changed: true };
}

/**
 * `modify` with formatting options reformats whole lines around the edit (an inline neighbour entry
 * would be spread over several lines), so the edit is made raw and only its own text is formatted.
 */
function formattedEdit(text: string, path: [string, string], value: unknown): string {
  const edits = modify(text, path, value, {});
  const raw = applyEdits(text, edits);
  if (edits.length !== 1) return raw;
  const start = edits[0].offset;
  const end = start + edits[0].content.length;
  // One character of slack on each side reaches the gaps right before and after the inserted text.
  const layout = format(raw, { offset: Math.max(0, start - 1), length: end - start + 2 }, detectFormatting(text)).filter(
    (edit) => edit.offset >= start && edit.offset <= end,
  );
  return applyEdits(raw, layout);
}

/** Takes entries out of `key`'s object (e.g. mcpServers), leaving comments and formatting around them. */
export function removeEntries(text: string, key: string, names: readonly string[]): string {
  let next = text;
  for (const name of names) next = applyEdits(next, modify(next, [key, name], undefined, { formattingOptions: detectFormatting(text) }));
  return next;
}
