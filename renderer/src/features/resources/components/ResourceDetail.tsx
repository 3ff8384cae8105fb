// One resource or template: what it is, and a read. A template's URI is edited before reading
// (fill in its {variables}).
import { useState, type FormEvent } from 'react';
import type { ResourceView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useReadResource } from '../hooks/use-read-resource.ts';
import { ResourceContents } from './ResourceContents.tsx';

export function ResourceDetail({ resource }: { resource: ResourceView }) {
  const [uri, setUri] = useState(resource.uri);
  const { read, result } = useReadResource();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void read.run(uri.trim());
  };
  return (
    <article className="card detail" aria-label={`Resource ${resource.name}`}>
      <header className="detail-header">
        <h2>{resource.title ?? resource.name}</h2>
        {resource.template && <span className="badge">template</span>}
      </header>
      <p className="small">
        <code className="wrap">{resource.uri}</code>
        <span className="muted"> · server {resource.server}{resource.mimeType ? ` · ${resource.mimeType}` : ''}</span>
      </p>
      {resource.description && <p className="description">{resource.description}</p>}
      <form className="form" aria-label="Read resource" onSubmit={submit}>
        {resource.template && (
          <label>
            URI (fill in the template's variables)
            <input value={uri} required onChange={(e) => setUri(e.target.value)} />
          </label>
        )}
        <div className="actions">
          <Button type="submit" variant="primary" busy={read.busy}>
            Read resource
          </Button>
        </div>
      </form>
      <ErrorNote message={read.error} />
      {result && <ResourceContents result={result} />}
    </article>
  );
}
