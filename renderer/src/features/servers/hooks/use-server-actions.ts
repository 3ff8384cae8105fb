// The actions on one server: authorize (OAuth in the browser), restart, remove.
import { useGateway } from '../../../lib/gateway-context.tsx';
import { openExternal } from '../../../lib/open-external.ts';
import { useAction } from '../../../lib/use-action.ts';

export function useServerActions(name: string, onChanged: () => void, onRemoved: () => void) {
  const { client } = useGateway();
  const authorize = useAction(async () => {
    const { authorizationUrl } = await client.authorizeServer(name);
    await openExternal(authorizationUrl);
  });
  const restart = useAction(async () => {
    await client.restartServer(name);
    onChanged();
  });
  const remove = useAction(async () => {
    await client.deregisterServer(name);
    onRemoved();
  });
  return { authorize, restart, remove };
}
