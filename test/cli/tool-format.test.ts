import { describe, expect, it } from 'vitest';
import { formatToolUsage, schemaType } from '../../main/cli/format/tool-usage.ts';
import { formatToolResult } from '../../main/cli/format/tool-result.ts';
import { parseToolInput } from '../../main/cli/commands/tools.ts';
import { toolView } from './fixtures.ts';

describe('canopy usage', () => {
  it('renders params with type, required, default, description, nested objects', () => {
    const tool = toolView('everything__search', {
      description: 'Searches things.\nSecond line.',
      annotations: { readOnlyHint: true },
      inputSchema: {
        type: 'object',
        properties: {
          query: { type: 'string', description: 'What to look for' },
          limit: { type: 'integer', default: 10 },
          mode: { enum: ['fast', 'deep'] },
          filter: {
            type: 'object',
            description: 'Narrow the results',
            properties: { tags: { type: 'array', items: { type: 'string' } } },
            required: ['tags'],
          },
        },
        required: ['query'],
      },
    });
    expect(formatToolUsage(tool)).toEqual([
      'everything__search',
      'Searches things.',
      'Second line.',
      'Hints: read-only',
      '',
      'Input:',
      '  query (string, required)',
      '      What to look for',
      '  limit (integer, optional, default 10)',
      '  mode ("fast" | "deep", optional)',
      '  filter (object, optional)',
      '      Narrow the results',
      '    tags (array of string, required)',
      '',
      "Call it with: canopy invoke everything__search --input '{…}'",
    ]);
  });

  it('says when a tool takes no input, and marks a disabled tool', () => {
    const lines = formatToolUsage(toolView('m__read_graph', { enabled: false }));
    expect(lines[0]).toBe('m__read_graph (disabled)');
    expect(lines).toContain('This tool takes no input.');
  });

  it('lists structured output fields', () => {
    const lines = formatToolUsage(
      toolView('e__add', { outputSchema: { type: 'object', properties: { sum: { type: 'number' } }, required: ['sum'] } }),
    );
    expect(lines).toContain('Output (structured content):');
    expect(lines).toContain('  sum (number, required)');
  });

  it('names types of unions, formats and untyped schemas', () => {
    expect(schemaType({ type: ['string', 'null'] })).toBe('string | null');
    expect(schemaType({ anyOf: [{ type: 'number' }, { const: 'auto' }] })).toBe('number | "auto"');
    expect(schemaType({ type: 'string', format: 'uri' })).toBe('string (uri)');
    expect(schemaType({})).toBe('any');
  });
});

describe('canopy invoke', () => {
  it('prints text, notes images and resources, shows structured content', () => {
    const lines = formatToolResult({
      content: [
        { type: 'text', text: 'hello\nworld' },
        { type: 'image', data: 'iVBORw0KGgo=', mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'test://static/1', mimeType: 'text/plain', text: 'body' } },
        { type: 'resource', resource: { uri: 'test://static/2', blob: 'AAAA' } },
        { type: 'resource_link', uri: 'file:///tmp/a.txt', name: 'a.txt' },
      ],
      structuredContent: { sum: 3 },
    });
    expect(lines).toEqual([
      'hello\nworld',
      '[image: image/png, 8 B]',
      '[resource: test://static/1 (text/plain)]',
      'body',
      '[resource: test://static/2, 3 B]',
      '[resource link: file:///tmp/a.txt — a.txt]',
      '',
      'Structured content:',
      '{\n  "sum": 3\n}',
    ]);
  });

  it('leaves out a text block that only repeats the structured content', () => {
    expect(formatToolResult({ content: [{ type: 'text', text: '{"sum": 3}' }], structuredContent: { sum: 3 } })).toEqual([
      'Structured content:',
      '{\n  "sum": 3\n}',
    ]);
  });

  it('parses --input as a JSON object only', () => {
    expect(parseToolInput('{"a": 1}')).toEqual({ a: 1 });
    expect(() => parseToolInput('{a: 1}')).toThrow(/--input is not valid JSON/);
    expect(() => parseToolInput('[1]')).toThrow(/--input must be a JSON object/);
    expect(() => parseToolInput('null')).toThrow(/--input must be a JSON object/);
  });
});
