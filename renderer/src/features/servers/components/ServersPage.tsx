// Servers: the live list on the left; on the right the selected server, or a form to add/edit.
import { useState } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useServers } from '../hooks/use-servers.ts';
import { emptyServerForm, serverFormFromConfig } from '../lib/server-form.ts';
import { PasteConfigForm } from './PasteConfigForm.tsx';
import { ServerDetail } from './ServerDetail.tsx';
import { ServerForm } from './ServerForm.tsx';
import { ServerList } from './ServerList.tsx';

type Panel = 'detail' | 'add' | 'paste' | 'edit';

export function ServersPage() {
  const servers = useServers();
  const [selected, setSelected] = useState<string>();
  const [panel, setPanel] = useState<Panel>('detail');
  const list = servers.data ?? [];
  const current = list.find((server) => server.name === selected);
  const select = (name: string | undefined) => {
    setSelected(name);
    setPanel('detail');
  };

  return (
    <div className="page two-columns">
      <section className="column" aria-label="Server list">
        <header className="page-header">
          <h1>Servers {servers.loading && !servers.data && <Spinner label="Loading servers" />}</h1>
          <div className="actions">
            <Button variant="primary" onClick={() => setPanel('add')}>
              Add server
            </Button>
            <Button onClick={() => setPanel('paste')}>Paste config</Button>
          </div>
        </header>
        <ErrorNote message={servers.error} />
        {servers.data && <ServerList servers={list} selected={selected} onSelect={select} onChanged={servers.reload} />}
      </section>
      <section className="column" aria-label="Server panel">
        {panel === 'add' && (
          <ServerForm key="add" mode="add" initial={emptyServerForm()} onChanged={servers.reload} onDone={select} onCancel={() => setPanel('detail')} />
        )}
        {panel === 'paste' && <PasteConfigForm onRegistered={servers.reload} onCancel={() => setPanel('detail')} />}
        {panel === 'edit' && current && (
          <ServerForm
            key={`edit-${current.name}`}
            mode="edit"
            initial={serverFormFromConfig(current.config)}
            onChanged={servers.reload}
            onDone={select}
            onCancel={() => setPanel('detail')}
          />
        )}
        {panel === 'detail' && current && (
          <ServerDetail key={current.name} server={current} onEdit={() => setPanel('edit')} onChanged={servers.reload} onRemoved={() => { select(undefined); void servers.reload(); }} />
        )}
        {panel === 'detail' && !current && list.length > 0 && <p className="empty">Select a server to see its tools, prompts and log.</p>}
      </section>
    </div>
  );
}
