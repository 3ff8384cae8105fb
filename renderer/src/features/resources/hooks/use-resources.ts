// Every server's resources and resource templates (loaded once; "Refresh" reloads).
import type { ResourceView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource, type Resource } from '../../../lib/use-resource.ts';

export function useResources(): Resource<ResourceView[]> {
  const { client } = useGateway();
  return useResource(() => client.listResources(), [client]);
}
