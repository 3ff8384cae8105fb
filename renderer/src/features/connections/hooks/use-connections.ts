// The signed-in user's own accounts of per-user servers: listed (refreshed while the page is open,
// so an OAuth authorization finished in another tab shows up), connected with a personal token or
// OAuth (the authorization server's page opens in the browser), and disconnected.
import { useGateway } from '../../../lib/gateway-context.tsx';
import { openExternal } from '../../../lib/open-external.ts';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';

const REFRESH_MS = 5_000;

export function useConnections() {
  const { client } = useGateway();
  const connections = useResource(() => client.listConnections(), [client], REFRESH_MS);
  const saveToken = useAction(async (server: string, token: string) => {
    await client.connectWithToken(server, token);
    await connections.reload();
    return true;
  });
  const authorize = useAction(async (server: string) => {
    const { authorizationUrl } = await client.connectWithOAuth(server);
    await openExternal(authorizationUrl);
  });
  const disconnect = useAction(async (server: string) => {
    await client.disconnect(server);
    await connections.reload();
  });
  return { connections, saveToken, authorize, disconnect };
}
