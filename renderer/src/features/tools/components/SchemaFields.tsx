// The inputs for a tool's schema fields; each input is labelled with the field's name.
import { useId } from 'react';
import type { FormField, FormValues } from '../lib/schema-form.ts';

interface FieldInputProps {
  field: FormField;
  value: string;
  onChange: (value: string) => void;
  id: string;
  describedBy?: string;
}

function FieldInput({ field, value, onChange, id, describedBy }: FieldInputProps) {
  const common = { id, 'aria-describedby': describedBy, 'aria-required': field.required };
  switch (field.kind) {
    case 'boolean':
      return (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          {!field.required && <option value="">(not set)</option>}
          {field.required && value === '' && <option value="">choose…</option>}
          <option value="true">true</option>
          <option value="false">false</option>
        </select>
      );
    case 'enum':
      return (
        <select {...common} value={value} onChange={(e) => onChange(e.target.value)}>
          <option value="">{field.required ? 'choose…' : '(not set)'}</option>
          {field.options?.map((option) => (
            <option key={String(option)} value={String(option)}>
              {String(option)}
            </option>
          ))}
        </select>
      );
    case 'number':
    case 'integer':
      return <input {...common} type="number" step={field.kind === 'integer' ? 1 : 'any'} value={value} onChange={(e) => onChange(e.target.value)} />;
    case 'array':
      return <textarea {...common} rows={3} value={value} placeholder={`one ${field.itemKind} per line`} onChange={(e) => onChange(e.target.value)} />;
    case 'json':
      return <textarea {...common} className="code-input" rows={4} spellCheck={false} value={value} placeholder="JSON" onChange={(e) => onChange(e.target.value)} />;
    case 'string':
      return <input {...common} value={value} onChange={(e) => onChange(e.target.value)} />;
  }
}

function SchemaField({ field, value, onChange }: { field: FormField; value: string; onChange: (value: string) => void }) {
  const id = useId();
  const descriptionId = field.description ? `${id}-description` : undefined;
  return (
    <div className="schema-field">
      <label htmlFor={id}>
        {field.label}
        {field.kind === 'array' && ' (one per line)'}
        {field.kind === 'json' && ' (JSON)'}
      </label>
      {field.required && <span className="required" aria-hidden="true"> *</span>}
      <FieldInput field={field} value={value} onChange={onChange} id={id} describedBy={descriptionId} />
      {field.description && (
        <span id={descriptionId} className="muted small">
          {field.description}
        </span>
      )}
    </div>
  );
}

export interface SchemaFieldsProps {
  fields: FormField[];
  values: FormValues;
  onChange: (values: FormValues) => void;
}

export function SchemaFields({ fields, values, onChange }: SchemaFieldsProps) {
  if (fields.length === 0) return <p className="muted">This tool takes no input.</p>;
  return (
    <div className="schema-fields">
      {fields.map((field) => (
        <SchemaField key={field.name} field={field} value={values[field.name] ?? ''} onChange={(value) => onChange({ ...values, [field.name]: value })} />
      ))}
    </div>
  );
}
