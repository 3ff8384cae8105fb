// The first window on a fresh install: bring in the servers the user's apps already have.
import { Button } from '../../../components/Button.tsx';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';
import type { Resource } from '../../../lib/use-resource.ts';
import type { SetupScanView } from '@core/api/contract.ts';
import { MoveInPanel } from './MoveInPanel.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';

export function FirstRunPage({ scan, onClose }: { scan: Resource<SetupScanView>; onClose: () => void }) {
  const { client } = useGateway();
  const dismiss = useAction(async () => {
    await client.dismissFirstRun();
    onClose();
  });
  return (
    <div className="page" aria-label="Welcome to Canopy">
      <header className="page-header">
        <h1>Welcome to Canopy</h1>
        <Button variant="ghost" busy={dismiss.busy} onClick={() => dismiss.run()}>
          Done
        </Button>
      </header>
      <p>
        Canopy runs your MCP servers once for every app. These are the servers your apps have today: tick the ones to bring in (each server is
        ticked once, even when several apps have it), then switch an app to Canopy — its config is kept, and <em>Undo</em> puts it back exactly.
      </p>
      <ErrorNote message={dismiss.error} />
      <MoveInPanel scan={scan} />
    </div>
  );
}
