// The server's tools and prompts, each with a switch (a disabled one is hidden from MCP clients);
// a tool's name and description for clients can be overridden.
import type { CatalogItemView, ServerView, ToolView } from '@core/api/contract.ts';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useServerCatalog } from '../hooks/use-server-catalog.ts';
import { ItemToggle, type ItemToggleProps } from './ItemToggle.tsx';
import { ToolOverrideEditor } from './ToolOverrideEditor.tsx';
import { OverrideProblems } from './OverrideProblems.tsx';

interface ItemListProps extends Pick<ItemToggleProps, 'kind' | 'setEnabled' | 'onChanged'> {
  label: string;
  items: CatalogItemView[];
}

function ItemList({ label, items, ...toggle }: ItemListProps) {
  return (
    <ul className="item-list" aria-label={label}>
      {items.map((item) => (
        <ItemToggle
          key={item.name}
          {...toggle}
          name={item.name}
          originalName={item.originalName}
          listedAs={item.name !== `${item.server}__${item.originalName}` ? item.name : undefined}
          description={item.description}
          enabled={item.enabled}
        >
          {toggle.kind === 'tool' && <ToolOverrideEditor tool={item as ToolView} onChanged={toggle.onChanged} />}
        </ItemToggle>
      ))}
    </ul>
  );
}

export function ServerCatalog({ server }: { server: ServerView }) {
  const { client } = useGateway();
  const catalog = useServerCatalog(server);
  const { data } = catalog;
  return (
    <section aria-label={`${server.name} tools and prompts`}>
      <h3>
        Tools {data && <span className="muted">({data.tools.length})</span>} {catalog.loading && <Spinner label="Loading tools" />}
      </h3>
      <ErrorNote message={catalog.error} />
      {data && data.tools.length === 0 && <p className="empty">No tools{server.state.status === 'running' ? '' : ' (the server is not running)'}.</p>}
      {data && <OverrideProblems overrides={data.overrides} onChanged={catalog.reload} />}
      <ItemList label={`${server.name} tools`} kind="tool" items={data?.tools ?? []} setEnabled={client.setToolEnabled} onChanged={catalog.reload} />
      {data && data.prompts.length > 0 && (
        <>
          <h3>
            Prompts <span className="muted">({data.prompts.length})</span>
          </h3>
          <ItemList label={`${server.name} prompts`} kind="prompt" items={data.prompts} setEnabled={client.setPromptEnabled} onChanged={catalog.reload} />
        </>
      )}
    </section>
  );
}
