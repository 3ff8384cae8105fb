// Registers several configs one after another, keeping a result per entry, so one bad entry of a
// pasted `mcpServers` file does not stop the others.
import { useCallback, useState } from 'react';
import { errorMessage } from '../../../lib/error-message.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { openExternal } from '../../../lib/open-external.ts';
import type { PastedEntry } from '../lib/pasted-config.ts';

export type EntryOutcome = 'waiting' | 'registering' | 'registered' | 'failed';

export interface EntryResult {
  name: string;
  outcome: EntryOutcome;
  message?: string;
  warnings: string[];
  authorizationUrl?: string;
}

export function useRegisterEntries(onRegistered: () => void) {
  const { client } = useGateway();
  const [results, setResults] = useState<EntryResult[]>([]);
  const [busy, setBusy] = useState(false);

  const register = useCallback(
    async (entries: PastedEntry[], force: boolean) => {
      setBusy(true);
      let current: EntryResult[] = entries.map((entry) =>
        entry.config
          ? { name: entry.name, outcome: 'waiting', warnings: [] }
          : { name: entry.name, outcome: 'failed', message: entry.problem, warnings: [] },
      );
      setResults(current);
      const update = (index: number, result: Partial<EntryResult>) => {
        current = current.map((item, i) => (i === index ? { ...item, ...result } : item));
        setResults(current);
      };
      for (const [index, entry] of entries.entries()) {
        if (!entry.config) continue;
        update(index, { outcome: 'registering' });
        try {
          const result = await client.registerServer({ config: entry.config, force, enabled: entry.enabled });
          update(index, {
            outcome: 'registered',
            message: entry.enabled ? undefined : 'registered disabled (as in the pasted file)',
            warnings: result.warnings,
            authorizationUrl: result.authorizationUrl,
          });
          if (result.authorizationUrl && entries.length === 1) await openExternal(result.authorizationUrl);
        } catch (error) {
          update(index, { outcome: 'failed', message: errorMessage(error) });
        }
        onRegistered();
      }
      setBusy(false);
      return current;
    },
    [client, onRegistered],
  );

  return { results, busy, register };
}
