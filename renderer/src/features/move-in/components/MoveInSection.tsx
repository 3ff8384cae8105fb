// "Connect an app" › bring in the servers the apps have (development mode: they are this user's files).
import { useAppScan } from '../hooks/use-app-scan.ts';
import { MoveInPanel } from './MoveInPanel.tsx';

export function MoveInSection() {
  const scan = useAppScan();
  return (
    <section aria-label="Move your apps' servers into Canopy" className="page">
      <h2>Move your apps' servers into Canopy</h2>
      <MoveInPanel scan={scan} />
    </section>
  );
}
