// Enables or disables a server; the switch shows busy while the upstream starts or stops.
import type { ServerView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

export function useToggleServer(onChanged: () => void) {
  const { client } = useGateway();
  return useAction(async (server: ServerView, enabled: boolean) => {
    await client.setServerEnabled(server.name, enabled);
    onChanged();
  });
}
