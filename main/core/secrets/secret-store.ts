// Where secrets live. The database only ever holds references (`ref`), never values.
export type SecretBackendKind = 'keychain' | 'database' | 'file';

export interface SecretStore {
  readonly kind: SecretBackendKind;
  /** One line for users: where secrets are kept, and any warning (e.g. "no keychain reachable"). */
  describe(): SecretStoreStatus;
  get(ref: string): Promise<string | undefined>;
  set(ref: string, value: string): Promise<void>;
  delete(ref: string): Promise<void>;
}

export interface SecretStoreStatus {
  kind: SecretBackendKind;
  /** e.g. "OS keychain (service canopy)". */
  description: string;
  /** Set when this backend is a fallback the user should know about. */
  warning?: string;
}

/** A secret could not be stored or read; the message says what to do. */
export class SecretStoreError extends Error {
  override name = 'SecretStoreError';
}
