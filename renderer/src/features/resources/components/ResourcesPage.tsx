// Resources and resource templates of every server: search, pick one, read it.
import { useState } from 'react';
import type { ResourceView } from '@core/api/contract.ts';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { countOf } from '../../../lib/plural.ts';
import { useResources } from '../hooks/use-resources.ts';
import { byServer, matchesQuery } from '../lib/resource-groups.ts';
import { ResourceDetail } from './ResourceDetail.tsx';

function ResourceItems({ label, items, selected, onSelect }: { label: string; items: ResourceView[]; selected?: string; onSelect: (uri: string) => void }) {
  if (items.length === 0) return null;
  return (
    <ul className="tool-list" aria-label={label}>
      {items.map((item) => (
        <li key={item.uri}>
          <button type="button" className={`tool-item${item.uri === selected ? ' selected' : ''}`} aria-current={item.uri === selected || undefined} onClick={() => onSelect(item.uri)}>
            <span>{item.title ?? item.name}</span>
            <code className="muted small wrap">{item.originalUri}</code>
          </button>
        </li>
      ))}
    </ul>
  );
}

export function ResourcesPage() {
  const resources = useResources();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string>();
  const all = resources.data ?? [];
  const matches = all.filter((item) => matchesQuery(item, query));
  const current = all.find((item) => item.uri === selected);
  const templates = all.filter((item) => item.template).length;

  return (
    <div className="page two-columns">
      <section className="column" aria-label="Resource search">
        <header className="page-header">
          <h1>Resources</h1>
          <Button variant="ghost" busy={resources.loading} onClick={() => resources.reload()}>
            Refresh resources
          </Button>
        </header>
        <input type="search" className="search" aria-label="Search resources" placeholder="Search resources on every server" value={query} onChange={(e) => setQuery(e.target.value)} />
        <ErrorNote message={resources.error} />
        {resources.data && (
          <p className="muted small" aria-live="polite">
            {countOf(all.length - templates, 'resource')} and {countOf(templates, 'template')}
            {query && `, ${matches.length} matching`}
          </p>
        )}
        {resources.data?.length === 0 && <p className="empty">No server offers resources.</p>}
        {byServer(matches).map((group) => (
          <section key={group.server} className="resource-server" aria-label={`Resources of ${group.server}`}>
            <h2 className="small">{group.server}</h2>
            <ResourceItems label={`${group.server} resources`} items={group.resources} selected={selected} onSelect={setSelected} />
            {group.templates.length > 0 && <h3 className="muted small">Templates</h3>}
            <ResourceItems label={`${group.server} templates`} items={group.templates} selected={selected} onSelect={setSelected} />
          </section>
        ))}
      </section>
      <section className="column" aria-label="Resource panel">
        {current ? <ResourceDetail key={current.uri} resource={current} /> : <p className="empty">Pick a resource to read it.</p>}
      </section>
    </div>
  );
}
