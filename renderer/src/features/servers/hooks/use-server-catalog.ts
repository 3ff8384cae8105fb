// One server's tools and prompts, reloaded when its catalog or state changes.
import type { PromptView, ServerView, ToolOverrideView, ToolView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource, type Resource } from '../../../lib/use-resource.ts';

export interface ServerCatalog {
  tools: ToolView[];
  prompts: PromptView[];
  /** The server's tool overrides, those that do not apply as asked carrying a `problem`. */
  overrides: ToolOverrideView[];
}

export function useServerCatalog(server: ServerView): Resource<ServerCatalog> {
  const { client } = useGateway();
  return useResource(
    async () => {
      const [tools, prompts, overrides] = await Promise.all([client.listTools(server.name), client.listPrompts(server.name), client.listOverrides(server.name)]);
      return { tools, prompts, overrides };
    },
    [client, server.name, server.toolCount, server.promptCount, server.state.status, server.enabled],
  );
}
