// The upstream room's public face: what the gateway, `canopy serve` and the desktop app use.
export { createUpstreamConnection, type UpstreamConnectionOptions } from './connection.ts';
export { upstreamHeaders } from './http-transport.ts';
export { detectRemoteTransport } from './transport-detection.ts';
export { loadLoginShellEnvironment } from './login-shell-env.ts';
export type { BackoffSettings } from './backoff.ts';
export type * from './types.ts';
