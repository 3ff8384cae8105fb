// `canopy usage TOOL`: a tool's description and its input (and output) schema as readable lines —
// each parameter with its type, whether it is required, its default and description, nested
// objects indented beneath their parent.
import type { ToolView } from '../../core/api/contract.ts';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  format?: string;
  default?: unknown;
  description?: string;
}

// Schemas can nest deeply (or, with $ref tricks, seemingly forever); usage stays readable.
const MAX_DEPTH = 6;

export function schemaType(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(' | ');
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(schemaType).join(' | ');
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.length === 0) return schema.properties ? 'object' : 'any';
  return types
    .map((type) => {
      if (type === 'array' && schema.items && !Array.isArray(schema.items)) return `array of ${schemaType(schema.items)}`;
      if (schema.format && type === 'string') return `string (${schema.format})`;
      return type;
    })
    .join(' | ');
}

/** The object schema nested under a property, if its fields are worth listing. */
function nestedObject(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties && Object.keys(schema.properties).length > 0) return schema;
  if (schema.items && !Array.isArray(schema.items)) return nestedObject(schema.items);
  return undefined;
}

function renderProperties(schema: JsonSchema, indent: string, depth: number): string[] {
  const required = new Set(schema.required ?? []);
  const lines: string[] = [];
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const facts = [schemaType(property), required.has(name) ? 'required' : 'optional'];
    if (property.default !== undefined) facts.push(`default ${JSON.stringify(property.default)}`);
    lines.push(`${indent}${name} (${facts.join(', ')})`);
    for (const line of (property.description ?? '').trim().split(/\r?\n/)) {
      if (line.trim()) lines.push(`${indent}    ${line.trim()}`);
    }
    const nested = nestedObject(property);
    if (nested) {
      lines.push(...(depth < MAX_DEPTH ? renderProperties(nested, `${indent}  `, depth + 1) : [`${indent}  …`]));
    }
  }
  return lines;
}

const HINTS: [keyof NonNullable<ToolView['annotations']>, string][] = [
  ['readOnlyHint', 'read-only'],
  ['destructiveHint', 'destructive'],
  ['idempotentHint', 'idempotent'],
  ['openWorldHint', 'open world'],
];

export function formatToolUsage(tool: ToolView): string[] {
  const lines = [`${tool.name}${tool.title ? ` — ${tool.title}` : ''}${tool.enabled ? '' : ' (disabled)'}`];
  if (tool.description?.trim()) lines.push(...tool.description.trim().split(/\r?\n/));
  const hints = HINTS.filter(([key]) => tool.annotations?.[key] === true).map(([, label]) => label);
  if (hints.length > 0) lines.push(`Hints: ${hints.join(', ')}`);
  lines.push('');
  const input = tool.inputSchema as JsonSchema;
  if (!input.properties || Object.keys(input.properties).length === 0) {
    lines.push('This tool takes no input.');
  } else {
    lines.push('Input:', ...renderProperties(input, '  ', 1));
  }
  const output = tool.outputSchema as JsonSchema | undefined;
  if (output?.properties && Object.keys(output.properties).length > 0) {
    lines.push('', 'Output (structured content):', ...renderProperties(output, '  ', 1));
  }
  lines.push('', `Call it with: canopy invoke ${tool.name} --input '{…}'`);
  return lines;
}
