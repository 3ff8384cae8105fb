import { desktopBridge } from '../../../lib/desktop-bridge.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import type { ThemeControls } from '../hooks/use-theme.ts';
import { GeneralSection } from './GeneralSection.tsx';
import { SecretsSection } from './SecretsSection.tsx';
import { StorageSection } from './StorageSection.tsx';
import { ThemeSection } from './ThemeSection.tsx';

export function SettingsPage({ theme, onReconnect }: { theme: ThemeControls; onReconnect: () => void }) {
  const { status } = useGateway();
  const bridge = desktopBridge();
  return (
    <div className="page">
      <header className="page-header">
        <h1>Settings</h1>
      </header>
      <GeneralSection bridge={bridge} />
      <StorageSection store={status.store} bridge={bridge} onSwitched={onReconnect} />
      <SecretsSection secrets={status.secrets} />
      <ThemeSection {...theme} />
      <p className="muted small">
        Canopy {status.version} · {status.mode} mode
      </p>
    </div>
  );
}
