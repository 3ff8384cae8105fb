// The audit log's entries: who did what, to which server, with what outcome.

export type ActorKind = 'client' | 'user' | 'anonymous';

/** One audited action. */
export interface AuditEntry {
  at: string;
  actorKind: ActorKind;
  actor: string;
  /** e.g. `tool.call`, `prompt.get`, `resource.read`, `POST /servers`. */
  action: string;
  server?: string;
  target?: string;
  /** `ok`, `error`, `tool_error`, `denied`, or an HTTP status class for admin changes. */
  outcome: string;
  durationMs: number;
  detail?: string;
}

/** One audit log entry as stored (`tool.call`, `prompt.get`, `resource.read`, or an admin change such as `POST /clients`). */
export type AuditEntryView = AuditEntry & { id: number };
