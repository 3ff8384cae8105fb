// Whether the window opens on the first-run view: a development-mode gateway with no server yet whose
// first-run view was not dismissed (the gateway remembers). Once open it stays while the user imports;
// "Done" or navigating elsewhere closes it.
import { useEffect, useState } from 'react';
import type { Resource } from '../../../lib/use-resource.ts';
import type { SetupScanView } from '@core/api/contract.ts';
import { useAppScan } from './use-app-scan.ts';

export function useFirstRun(): { show: boolean; scan: Resource<SetupScanView>; close: () => void } {
  const scan = useAppScan();
  const [opened, setOpened] = useState(false);
  const [closed, setClosed] = useState(false);
  useEffect(() => {
    if (scan.data?.firstRun) setOpened(true);
  }, [scan.data]);
  useEffect(() => {
    const close = () => setClosed(true);
    window.addEventListener('hashchange', close);
    return () => window.removeEventListener('hashchange', close);
  }, []);
  return { show: opened && !closed, scan, close: () => setClosed(true) };
}
