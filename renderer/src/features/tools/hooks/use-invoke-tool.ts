// Calls a tool through the admin API, showing the upstream's progress while it runs; `cancel` stops
// the call on the upstream too. Keeps the last result.
import { useRef, useState } from 'react';
import type { InvokeToolResult, Progress } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

export function useInvokeTool(toolName: string) {
  const { client } = useGateway();
  const [result, setResult] = useState<InvokeToolResult>();
  const [progress, setProgress] = useState<Progress>();
  const [cancelled, setCancelled] = useState(false);
  const running = useRef<AbortController | undefined>(undefined);
  const invoke = useAction(async (input: Record<string, unknown>) => {
    const controller = new AbortController();
    running.current = controller;
    setResult(undefined);
    setProgress(undefined);
    setCancelled(false);
    try {
      setResult(await client.invokeToolStreaming(toolName, input, { signal: controller.signal, onprogress: setProgress }));
    } catch (error) {
      if (!controller.signal.aborted) throw error;
      setCancelled(true);
    } finally {
      running.current = undefined;
    }
  });
  const cancel = () => running.current?.abort();
  return { ...invoke, result, progress, cancelled, cancel };
}
