// What a group can include: the registered servers and their tools' names.
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource } from '../../../lib/use-resource.ts';

export function useGroupChoices() {
  const { client } = useGateway();
  return useResource(async () => {
    const [servers, tools] = await Promise.all([client.listServers(), client.listTools()]);
    return { servers: servers.map((s) => s.name).sort(), tools: tools.map((t) => t.name).sort() };
  }, [client]);
}
