// The gateway's public face: `createGateway(options)` wires store, secrets, upstreams, downstream
// MCP endpoints and the admin API. Electron's main process, `canopy serve` and the tests all use it.
// (Implementation in progress: the types below are the contract other layers code against.)
import type { EventEmitter } from 'node:events';
import type { StoreLocation } from './store/open.ts';
import type { SecretStore } from './secrets/secret-store.ts';
import type { GatewayMode, RegisterServerBody, RegisterServerResult, ServerView, StatusView } from './api/contract.ts';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_PORT = 7450;

export interface GatewayOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 7450; 0 picks a free port. */
  port?: number;
  store: StoreLocation;
  /** Where Canopy keeps local files (secrets fallback, …). */
  dataDir: string;
  mode?: GatewayMode;
  /** Base environment for stdio servers (the login-shell environment); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Overrides the secret backend chosen from the store kind. */
  secretStore?: SecretStore;
  /** Directory of the built web UI served at `/`; omitted: no UI. */
  rendererDir?: string;
}

export interface GatewayEvents {
  /** A server was added, removed, toggled, or its state or catalog changed. */
  changed: [];
}

/** Operations on the registry, as the admin API, the tray and the window use them. */
export interface RegistryService {
  status(): Promise<StatusView>;
  listServers(): Promise<ServerView[]>;
  registerServer(body: RegisterServerBody): Promise<RegisterServerResult>;
  deregisterServer(name: string): Promise<void>;
  setServerEnabled(name: string, enabled: boolean): Promise<ServerView>;
}

export interface Gateway {
  /** Listens; rejects with a clear error when the port is taken. */
  start(): Promise<void>;
  /** Closes sessions, stops every upstream (no child outlives it), closes the store. */
  stop(): Promise<void>;
  /** Base URL, e.g. http://127.0.0.1:7450 (known after start). */
  readonly url: string;
  readonly events: EventEmitter<GatewayEvents>;
  readonly registry: RegistryService;
}
