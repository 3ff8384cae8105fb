// List, create, rotate and delete for MCP clients or users; the token a create or rotate returns is
// kept until the user dismisses it (it is never shown again).
import { useState } from 'react';
import type { AdminClient } from '@core/api/client.ts';
import type { IssuedToken } from '@core/api/contract.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';

export interface IdentityOperations<View, CreateBody extends { name: string }> {
  list: (api: AdminClient) => Promise<View[]>;
  /** Answers with the new token, or none (a user who signs in with SSO has none). */
  create: (api: AdminClient, body: CreateBody) => Promise<Partial<IssuedToken>>;
  rotate: (api: AdminClient, name: string) => Promise<IssuedToken>;
  remove: (api: AdminClient, name: string) => Promise<void>;
}

export interface IssuedFor {
  name: string;
  token: string;
}

export function useIdentityCollection<View, CreateBody extends { name: string }>(operations: IdentityOperations<View, CreateBody>) {
  const { client } = useGateway();
  const items = useResource(() => operations.list(client), [client]);
  const [issued, setIssued] = useState<IssuedFor>();
  const create = useAction(async (body: CreateBody) => {
    const { token } = await operations.create(client, body);
    if (token) setIssued({ name: body.name, token });
    await items.reload();
    return true;
  });
  const rotate = useAction(async (name: string) => {
    const { token } = await operations.rotate(client, name);
    setIssued({ name, token });
  });
  const remove = useAction(async (name: string) => {
    await operations.remove(client, name);
    await items.reload();
  });
  return { items, create, rotate, remove, issued, dismissIssued: () => setIssued(undefined) };
}
