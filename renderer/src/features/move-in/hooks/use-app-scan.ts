// What the user's apps hold (GET /setup/apps). Only a development-mode gateway answers it: an
// enterprise gateway's home is not the user's, so nothing is asked there.
import type { SetupScanView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useResource, type Resource } from '../../../lib/use-resource.ts';

const NOTHING: SetupScanView = { apps: [], firstRun: false };

export function useAppScan(): Resource<SetupScanView> {
  const { client, status } = useGateway();
  const enterprise = status.mode === 'enterprise';
  return useResource(() => (enterprise ? Promise.resolve(NOTHING) : client.scanApps()), [client, enterprise]);
}
