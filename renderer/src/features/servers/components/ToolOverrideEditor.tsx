// Edits one tool's overrides (the name and description MCP clients see); hidden is the item's switch.
import { useState, type FormEvent } from 'react';
import type { ToolView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

export function ToolOverrideEditor({ tool, onChanged }: { tool: ToolView; onChanged: () => void }) {
  const { client } = useGateway();
  const [open, setOpen] = useState(false);
  const [name, setName] = useState(tool.override?.name ?? '');
  const [description, setDescription] = useState(tool.override?.description ?? '');
  const save = useAction(async () => {
    // An empty field puts back the upstream's name or description.
    await client.setToolOverride(tool.name, { name: name.trim() || null, description: description.trim() || null });
    setOpen(false);
    onChanged();
  });
  const reset = useAction(async () => {
    await client.clearToolOverride(tool.name);
    setName('');
    setDescription('');
    setOpen(false);
    onChanged();
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save.run();
  };

  if (!open) {
    return (
      <Button variant="ghost" className="small" aria-label={`Edit tool ${tool.originalName}`} onClick={() => setOpen(true)}>
        Edit
      </Button>
    );
  }
  return (
    <form className="form" aria-label={`Override tool ${tool.originalName}`} onSubmit={submit}>
      <label>
        Name clients see
        <input value={name} placeholder={tool.originalName} onChange={(e) => setName(e.target.value)} />
      </label>
      <label>
        Description clients see
        <textarea rows={3} value={description} placeholder={tool.upstreamDescription ?? tool.description ?? ''} onChange={(e) => setDescription(e.target.value)} />
      </label>
      <ErrorNote message={save.error ?? reset.error} />
      <div className="actions">
        <Button type="submit" variant="primary" busy={save.busy}>
          Save
        </Button>
        {tool.override && (
          <Button busy={reset.busy} onClick={() => void reset.run()}>
            Use the server’s
          </Button>
        )}
        <Button variant="ghost" onClick={() => setOpen(false)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
