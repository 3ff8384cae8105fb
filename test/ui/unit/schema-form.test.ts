import { describe, expect, it } from 'vitest';
import { fieldsFromSchema, initialValues, inputFromValues, valuesFromInput } from '../../../renderer/src/features/tools/lib/schema-form.ts';

const schema = {
  type: 'object',
  properties: {
    message: { type: 'string', description: 'What to echo' },
    count: { type: 'integer', default: 2 },
    ratio: { type: ['number', 'null'] },
    loud: { type: 'boolean' },
    mode: { enum: ['fast', 'slow'] },
    tags: { type: 'array', items: { type: 'string' } },
    sizes: { type: 'array', items: { type: 'number' } },
    nested: { type: 'object', properties: { a: { type: 'string' } } },
    either: { anyOf: [{ type: 'string' }, { type: 'number' }] },
  },
  required: ['message', 'mode'],
};

describe('schema → form', () => {
  const fields = fieldsFromSchema(schema);
  const byName = Object.fromEntries(fields.map((f) => [f.name, f]));

  it('classifies every supported kind and falls back to JSON', () => {
    expect(fields.map((f) => [f.name, f.kind])).toEqual([
      ['message', 'string'],
      ['count', 'integer'],
      ['ratio', 'number'],
      ['loud', 'boolean'],
      ['mode', 'enum'],
      ['tags', 'array'],
      ['sizes', 'array'],
      ['nested', 'json'],
      ['either', 'json'],
    ]);
    expect(byName.tags.itemKind).toBe('string');
    expect(byName.sizes.itemKind).toBe('number');
    expect(byName.mode.options).toEqual(['fast', 'slow']);
    expect(byName.message).toMatchObject({ required: true, description: 'What to echo' });
    expect(byName.count.required).toBe(false);
  });

  it('starts from schema defaults', () => {
    expect(initialValues(fields)).toMatchObject({ message: '', count: '2', tags: '' });
  });

  it('turns values into typed input and leaves out empty optional fields', () => {
    const values = {
      ...initialValues(fields),
      message: 'hi there',
      ratio: '0.5',
      loud: 'true',
      mode: 'slow',
      tags: 'a\n b \n\n',
      sizes: '1\n2.5',
      nested: '{"a": "x"}',
    };
    expect(inputFromValues(fields, values)).toEqual({
      input: { message: 'hi there', count: 2, ratio: 0.5, loud: true, mode: 'slow', tags: ['a', ' b '], sizes: [1, 2.5], nested: { a: 'x' } },
    });
  });

  it('reports every bad field by its label', () => {
    const values = { ...initialValues(fields), count: '1.5', sizes: '1\nx', nested: '{', mode: '' };
    expect(inputFromValues(fields, values)).toEqual({
      problems: ['"message" is required', '"count" must be a whole number', '"mode" is required', '"sizes" item 2 must be a number', '"nested" is not valid JSON'],
    });
  });

  it('round-trips through the raw JSON editor', () => {
    const input = { message: 'x', tags: ['a', 'b'], nested: { a: 'y' }, loud: false };
    const back = inputFromValues(fields, { ...valuesFromInput(fields, input), mode: 'fast' });
    expect(back).toEqual({ input: { ...input, mode: 'fast' } });
  });

  it('has no fields for a schema without properties', () => {
    expect(fieldsFromSchema({ type: 'object' })).toEqual([]);
    expect(inputFromValues([], {})).toEqual({ input: {} });
  });

  it('keeps enum option types (numbers stay numbers)', () => {
    const [level] = fieldsFromSchema({ type: 'object', properties: { level: { type: 'integer', enum: [1, 2, 3] } } });
    expect(inputFromValues([level], { level: '2' })).toEqual({ input: { level: 2 } });
  });
});
