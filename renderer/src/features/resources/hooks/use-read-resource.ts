// Reads one resource through the gateway (as an MCP client would) and keeps the last answer.
import { useState } from 'react';
import type { ReadResourceView } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';

export function useReadResource() {
  const { client } = useGateway();
  const [result, setResult] = useState<ReadResourceView>();
  const read = useAction(async (uri: string) => {
    setResult(undefined);
    setResult(await client.readResource(uri));
  });
  return { read, result };
}
