// Loads data asynchronously (never blocking the UI), optionally refreshing it every `intervalMs` while
// the page is visible. A slow request never stacks: the next poll waits for the previous one. Data
// stays while a reload runs (remount with a `key` to start from nothing).
import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from './error-message.ts';

export interface Resource<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  reload: () => Promise<void>;
}

export function useResource<T>(load: () => Promise<T>, deps: readonly unknown[], intervalMs?: number): Resource<T> {
  const [data, setData] = useState<T>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(true);
  const loadRef = useRef(load);
  loadRef.current = load;
  const generation = useRef(0);
  const inFlight = useRef(false);

  const reload = useCallback(async () => {
    const mine = ++generation.current;
    inFlight.current = true;
    setLoading(true);
    try {
      const value = await loadRef.current();
      if (mine === generation.current) {
        setData(value);
        setError(undefined);
      }
    } catch (caught) {
      if (mine === generation.current) setError(errorMessage(caught));
    } finally {
      if (mine === generation.current) {
        inFlight.current = false;
        setLoading(false);
      }
    }
  }, []);

  useEffect(() => {
    void reload();
  }, deps);

  useEffect(() => {
    if (!intervalMs) return;
    const timer = setInterval(() => {
      if (document.visibilityState === 'visible' && !inFlight.current) void reload();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs, reload]);

  return { data, error, loading, reload };
}
