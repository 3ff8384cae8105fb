// Per-user upstream credentials as users see them: how each of them stands with a server that has
// "credentials": "per_user" (the web UI's Connections page, `canopy connections`).

/** 'token': a personal bearer token the user pasted; 'oauth': tokens from the upstream's authorization server. */
export type CredentialKind = 'token' | 'oauth';

/** 'needs_reauthorization': connected, but the upstream refused it (or its OAuth grant is gone): connect again. */
export type ConnectionStatus = 'connected' | 'not_connected' | 'needs_reauthorization';

export interface ConnectionView {
  server: string;
  description?: string;
  status: ConnectionStatus;
  kind?: CredentialKind;
  /** When the user connected it last (ISO time). */
  connectedAt?: string;
}

export interface ConnectTokenBody {
  token: string;
}
