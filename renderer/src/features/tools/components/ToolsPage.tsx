// Tools across every server: search, pick one, read its schema, try it.
import { countOf } from '../../../lib/plural.ts';
import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { useTools } from '../hooks/use-tools.ts';
import { searchTools } from '../lib/tool-search.ts';
import { ToolDetail } from './ToolDetail.tsx';

export function ToolsPage() {
  const tools = useTools();
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string>();
  const all = tools.data ?? [];
  const matches = searchTools(all, query);
  const current = all.find((tool) => tool.name === selected);

  return (
    <div className="page two-columns">
      <section className="column" aria-label="Tool search">
        <header className="page-header">
          <h1>Tools</h1>
          <Button variant="ghost" busy={tools.loading} onClick={() => tools.reload()}>
            Refresh tools
          </Button>
        </header>
        <input type="search" className="search" aria-label="Search tools" placeholder="Search tools on every server" value={query} onChange={(e) => setQuery(e.target.value)} />
        <ErrorNote message={tools.error} />
        {tools.data && (
          <p className="muted small" aria-live="polite">
            {matches.length} of {countOf(all.length, 'tool')}
          </p>
        )}
        <ul className="tool-list" aria-label="Tools">
          {matches.map((tool) => (
            <li key={tool.name}>
              <button type="button" className={`tool-item${tool.name === selected ? ' selected' : ''}`} aria-current={tool.name === selected || undefined} onClick={() => setSelected(tool.name)}>
                <code>{tool.name}</code>
                {tool.name !== `${tool.server}__${tool.originalName}` && <span className="muted small">{tool.server}: {tool.originalName}</span>}
                {!tool.enabled && <span className="badge badge-off">disabled</span>}
                {tool.description && <span className="muted small clamp">{tool.description}</span>}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <section className="column" aria-label="Tool panel">
        {current ? <ToolDetail key={current.name} tool={current} /> : <p className="empty">Pick a tool to see its schema and try it.</p>}
      </section>
    </div>
  );
}
