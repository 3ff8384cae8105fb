// The server's tools and prompts, each with a switch (a disabled one is hidden from MCP clients).
import type { ServerView } from '../../../../../main/core/api/contract.ts';
import { ErrorNote } from '../../../components/ErrorNote.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useServerCatalog } from '../hooks/use-server-catalog.ts';
import { ItemToggle } from './ItemToggle.tsx';

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
      <ul className="item-list" aria-label={`${server.name} tools`}>
        {data?.tools.map((tool) => (
          <ItemToggle
            key={tool.name}
            kind="tool"
            name={tool.name}
            originalName={tool.originalName}
            description={tool.description}
            enabled={tool.enabled}
            setEnabled={client.setToolEnabled}
            onChanged={catalog.reload}
          />
        ))}
      </ul>
      {data && data.prompts.length > 0 && (
        <>
          <h3>
            Prompts <span className="muted">({data.prompts.length})</span>
          </h3>
          <ul className="item-list" aria-label={`${server.name} prompts`}>
            {data.prompts.map((prompt) => (
              <ItemToggle
                key={prompt.name}
                kind="prompt"
                name={prompt.name}
                originalName={prompt.originalName}
                description={prompt.description}
                enabled={prompt.enabled}
                setEnabled={client.setPromptEnabled}
                onChanged={catalog.reload}
              />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
