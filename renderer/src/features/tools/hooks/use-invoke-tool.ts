// Calls a tool through the admin API and keeps the last result.
import { useState } from 'react';
import type { InvokeToolResult } from '../../../../../main/core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

export function useInvokeTool(toolName: string) {
  const { client } = useGateway();
  const [result, setResult] = useState<InvokeToolResult>();
  const invoke = useAction(async (input: Record<string, unknown>) => {
    setResult(undefined);
    setResult(await client.invokeTool(toolName, input));
  });
  return { ...invoke, result };
}
