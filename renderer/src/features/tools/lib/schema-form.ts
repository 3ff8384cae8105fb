// A tool's JSON schema → form fields, and the form's text values → the tool's input. Handles strings,
// numbers, integers, booleans, enums and arrays of those; anything else becomes a JSON field.
export type PrimitiveKind = 'string' | 'number' | 'integer' | 'boolean';
export type FieldKind = PrimitiveKind | 'enum' | 'array' | 'json';
export type EnumOption = string | number | boolean;

export interface FormField {
  name: string;
  label: string;
  description?: string;
  required: boolean;
  kind: FieldKind;
  /** For 'array': the kind of each item. */
  itemKind?: PrimitiveKind;
  /** For 'enum'. */
  options?: EnumOption[];
  defaultValue?: unknown;
}

/** Every field's value as the user typed it ('true'/'false'/'' for booleans, one item per line for arrays). */
export type FormValues = Record<string, string>;

type JsonSchema = Record<string, unknown>;

const PRIMITIVES: readonly string[] = ['string', 'number', 'integer', 'boolean'];

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The schema's single non-null type, if it has exactly one. */
function singleType(schema: JsonSchema): string | undefined {
  const { type } = schema;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) {
    const types = type.filter((t) => t !== 'null');
    return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
  }
  return undefined;
}

function isEnumOptions(value: unknown): value is EnumOption[] {
  return Array.isArray(value) && value.length > 0 && value.every((v) => ['string', 'number', 'boolean'].includes(typeof v));
}

function classify(schema: JsonSchema): Pick<FormField, 'kind' | 'itemKind' | 'options'> {
  if (isEnumOptions(schema.enum)) return { kind: 'enum', options: schema.enum };
  const type = singleType(schema);
  if (type && PRIMITIVES.includes(type)) return { kind: type as PrimitiveKind };
  if (type === 'array' && isObject(schema.items)) {
    const itemType = singleType(schema.items);
    if (itemType && PRIMITIVES.includes(itemType)) return { kind: 'array', itemKind: itemType as PrimitiveKind };
  }
  return { kind: 'json' };
}

export function fieldsFromSchema(schema: unknown): FormField[] {
  if (!isObject(schema) || !isObject(schema.properties)) return [];
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  return Object.entries(schema.properties).map(([name, raw]) => {
    const property = isObject(raw) ? raw : {};
    return {
      name,
      label: typeof property.title === 'string' ? property.title : name,
      description: typeof property.description === 'string' ? property.description : undefined,
      required: required.has(name),
      defaultValue: property.default,
      ...classify(property),
    };
  });
}

function textOf(field: FormField, value: unknown): string {
  if (value === undefined) return '';
  if (field.kind === 'array' && Array.isArray(value)) return value.map(String).join('\n');
  if (field.kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/** The form's starting values: each field's schema default, else empty. */
export function initialValues(fields: FormField[]): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, textOf(field, field.defaultValue)]));
}

/** Form values for an input object (switching back from the raw JSON editor). */
export function valuesFromInput(fields: FormField[], input: Record<string, unknown>): FormValues {
  return Object.fromEntries(fields.map((field) => [field.name, textOf(field, input[field.name])]));
}

function parsePrimitive(kind: PrimitiveKind, text: string): { value: unknown } | { problem: string } {
  switch (kind) {
    case 'string':
      return { value: text };
    case 'boolean':
      return text === 'true' || text === 'false' ? { value: text === 'true' } : { problem: 'must be true or false' };
    case 'number':
    case 'integer': {
      const value = Number(text.trim());
      if (text.trim() === '' || Number.isNaN(value)) return { problem: 'must be a number' };
      if (kind === 'integer' && !Number.isInteger(value)) return { problem: 'must be a whole number' };
      return { value };
    }
  }
}

function parseField(field: FormField, text: string): { value: unknown } | { problem: string } {
  switch (field.kind) {
    case 'enum': {
      const option = field.options?.find((candidate) => String(candidate) === text);
      return option === undefined ? { problem: `must be one of ${field.options?.map(String).join(', ')}` } : { value: option };
    }
    case 'array': {
      const items = text.split('\n').filter((line) => line.trim() !== '');
      const values: unknown[] = [];
      for (const [index, item] of items.entries()) {
        const parsed = parsePrimitive(field.itemKind ?? 'string', field.itemKind === 'string' ? item : item.trim());
        if ('problem' in parsed) return { problem: `item ${index + 1} ${parsed.problem}` };
        values.push(parsed.value);
      }
      return { value: values };
    }
    case 'json':
      try {
        return { value: JSON.parse(text) };
      } catch {
        return { problem: 'is not valid JSON' };
      }
    default:
      return parsePrimitive(field.kind, text);
  }
}

/** The tool input the values describe, or one problem per bad field. Empty optional fields are left out. */
export function inputFromValues(fields: FormField[], values: FormValues): { input: Record<string, unknown> } | { problems: string[] } {
  const input: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const field of fields) {
    const text = values[field.name] ?? '';
    // A string may be all spaces on purpose; any other empty field means "not given".
    const empty = field.kind === 'string' ? text === '' : text.trim() === '';
    if (empty) {
      if (field.required) problems.push(`"${field.label}" is required`);
      continue;
    }
    const parsed = parseField(field, text);
    if ('problem' in parsed) problems.push(`"${field.label}" ${parsed.problem}`);
    else input[field.name] = parsed.value;
  }
  return problems.length ? { problems } : { input };
}
