// "Try it": a form generated from the tool's input schema, or the raw JSON input; then the result.
import { useMemo, useState, type FormEvent } from 'react';
import type { ToolView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useInvokeTool } from '../hooks/use-invoke-tool.ts';
import { fieldsFromSchema, initialValues, inputFromValues, valuesFromInput } from '../lib/schema-form.ts';
import { CallProgress } from './CallProgress.tsx';
import { SchemaFields } from './SchemaFields.tsx';
import { ToolResult } from './ToolResult.tsx';

function parseRawInput(text: string): { input: Record<string, unknown> } | { problems: string[] } {
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { problems: ['The input must be a JSON object, e.g. {"message": "hi"}'] };
    return { input: value as Record<string, unknown> };
  } catch (error) {
    return { problems: [`The input is not valid JSON (${(error as Error).message})`] };
  }
}

export function TryTool({ tool }: { tool: ToolView }) {
  const fields = useMemo(() => fieldsFromSchema(tool.inputSchema), [tool.inputSchema]);
  const [values, setValues] = useState(() => initialValues(fields));
  const [raw, setRaw] = useState<string>();
  const [problems, setProblems] = useState<string[]>([]);
  const invoke = useInvokeTool(tool.name);

  const switchMode = () => {
    if (raw === undefined) {
      const current = inputFromValues(fields, values);
      setRaw(JSON.stringify('input' in current ? current.input : {}, null, 2));
    } else {
      const parsed = parseRawInput(raw);
      if ('input' in parsed) setValues(valuesFromInput(fields, parsed.input));
      setRaw(undefined);
    }
    setProblems([]);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = raw === undefined ? inputFromValues(fields, values) : parseRawInput(raw);
    if ('problems' in parsed) {
      setProblems(parsed.problems);
      return;
    }
    setProblems([]);
    await invoke.run(parsed.input);
  };

  return (
    <section aria-label={`Try ${tool.name}`}>
      <form className="form" aria-label={`Input for ${tool.name}`} onSubmit={submit}>
        <h3>
          Try it{' '}
          <Button variant="ghost" onClick={switchMode}>
            {raw === undefined ? 'Edit as JSON' : 'Use the form'}
          </Button>
        </h3>
        {raw === undefined ? (
          <SchemaFields fields={fields} values={values} onChange={setValues} />
        ) : (
          <label>
            Input JSON
            <textarea className="code-input" rows={8} spellCheck={false} value={raw} onChange={(e) => setRaw(e.target.value)} />
          </label>
        )}
        {problems.map((problem) => (
          <ErrorNote key={problem} message={problem} />
        ))}
        <ErrorNote message={invoke.error} />
        <div className="actions">
          <Button type="submit" variant="primary" busy={invoke.busy} disabled={!tool.enabled}>
            {invoke.busy ? 'Running…' : 'Run tool'}
          </Button>
          {invoke.busy && (
            <>
              <CallProgress progress={invoke.progress} />
              <Button variant="danger" onClick={invoke.cancel}>
                Cancel call
              </Button>
            </>
          )}
          {invoke.cancelled && <span className="muted">Cancelled: the server was told to stop.</span>}
          {!tool.enabled && <span className="muted">This tool is disabled; enable it on its server first.</span>}
        </div>
      </form>
      {invoke.result && <ToolResult result={invoke.result} />}
    </section>
  );
}
