// List, create, rotate and delete for MCP clients or users; the token a create or rotate returns is
// kept until the user dismisses it (it is never shown again).
import { useState } from 'react';
import type { GatewayConnection } from '../../../lib/desktop-bridge.ts';
import { useGateway } from '../../../lib/gateway-context.tsx';
import { useAction } from '../../../lib/use-action.ts';
import { useResource } from '../../../lib/use-resource.ts';
import type { IssuedToken } from '../lib/identities-api.ts';

export interface IdentityOperations<View, CreateBody extends { name: string }> {
  list: (c: GatewayConnection) => Promise<View[]>;
  create: (c: GatewayConnection, body: CreateBody) => Promise<IssuedToken>;
  rotate: (c: GatewayConnection, name: string) => Promise<IssuedToken>;
  remove: (c: GatewayConnection, name: string) => Promise<void>;
}

export interface IssuedFor {
  name: string;
  token: string;
}

export function useIdentityCollection<View, CreateBody extends { name: string }>(operations: IdentityOperations<View, CreateBody>) {
  const { connection } = useGateway();
  const items = useResource(() => operations.list(connection), [connection]);
  const [issued, setIssued] = useState<IssuedFor>();
  const create = useAction(async (body: CreateBody) => {
    const { token } = await operations.create(connection, body);
    setIssued({ name: body.name, token });
    await items.reload();
    return true;
  });
  const rotate = useAction(async (name: string) => {
    const { token } = await operations.rotate(connection, name);
    setIssued({ name, token });
  });
  const remove = useAction(async (name: string) => {
    await operations.remove(connection, name);
    await items.reload();
  });
  return { items, create, rotate, remove, issued, dismissIssued: () => setIssued(undefined) };
}
