// What every feature needs from the session: the typed admin client and the gateway's status.
import { createContext, useContext } from 'react';
import type { AdminClient } from '@core/api/client.ts';
import type { StatusView } from '@core/api/contract.ts';
import type { GatewayConnection } from './desktop-bridge.ts';

export interface GatewayContextValue {
  client: AdminClient;
  status: StatusView;
  connection: GatewayConnection;
  /** True in the web UI when the user signed in with a token (and may sign out). */
  signedIn: boolean;
  signOut: () => void;
}

export const GatewayContext = createContext<GatewayContextValue | undefined>(undefined);

export function useGateway(): GatewayContextValue {
  const value = useContext(GatewayContext);
  if (!value) throw new Error('useGateway() outside <GatewayContext>');
  return value;
}
