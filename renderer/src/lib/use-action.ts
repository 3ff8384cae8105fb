// Runs one async action at a time for a button or form: busy while it runs, the error after it fails.
import { useCallback, useRef, useState } from 'react';
import { errorMessage } from './error-message.ts';

export interface Action<A extends unknown[], T> {
  run: (...args: A) => Promise<T | undefined>;
  busy: boolean;
  error: string | undefined;
}

export function useAction<A extends unknown[], T>(work: (...args: A) => Promise<T>): Action<A, T> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const workRef = useRef(work);
  workRef.current = work;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      return await workRef.current(...args);
    } catch (caught) {
      setError(errorMessage(caught));
      return undefined;
    } finally {
      setBusy(false);
    }
  }, []);
  return { run, busy, error };
}
