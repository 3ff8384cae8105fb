// The upstream room's public face: what the gateway, `canopy serve` and the desktop app use.
export { createUpstreamConnection, type UpstreamConnectionOptions, type UpstreamLogger } from './connection.ts';
export { upstreamHeaders, type UpstreamHeaders } from './http-transport.ts';
export { detectRemoteTransport } from './transport-detection.ts';
export { loadLoginShellEnvironment, type LoginShellEnvironment } from './login-shell-env.ts';
export { DEFAULT_BACKOFF, type BackoffSettings } from './backoff.ts';
export type * from './types.ts';
