// The server list, refreshed every few seconds while the page is visible (live states in the browser).
import type { ServerView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource, type Resource } from '../../../lib/use-resource.ts';

const POLL_MS = 3000;

export function useServers(): Resource<ServerView[]> {
  const { client } = useGateway();
  return useResource(() => client.listServers(), [client], POLL_MS);
}
