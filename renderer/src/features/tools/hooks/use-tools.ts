// Every server's tools (loaded once; "Refresh" reloads).
import type { ToolView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource, type Resource } from '../../../lib/use-resource.ts';

export function useTools(): Resource<ToolView[]> {
  const { client } = useGateway();
  return useResource(() => client.listTools(), [client]);
}
