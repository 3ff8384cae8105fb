// The add/edit form's values and their translation to and from a server config. Validation is the
// gateway's own schema (parseServerConfig), so the form says exactly what the API would say.
import type { ServerConfig, ServerConfigInput, Transport } from '@core/config/server-config.ts';
import { parseServerConfig } from '@core/config/server-config.ts';

export interface KeyValue {
  key: string;
  value: string;
}

export interface ServerFormValues {
  name: string;
  /** Empty: the server's name is its prefix. */
  alias: string;
  description: string;
  transport: Transport;
  command: string;
  /** One argument per line (an argument may contain spaces). */
  args: string;
  env: KeyValue[];
  url: string;
  headers: KeyValue[];
  bearerToken: string;
  /** HTTP/SSE, enterprise mode: each person connects their own account ("credentials": "per_user"). */
  perUser: boolean;
  /** stdio: never stop the process for being idle. */
  alwaysOn: boolean;
  /** stdio: seconds idle before the process stops until the next call; empty: the gateway's default. */
  idleTimeoutSeconds: string;
}

export function emptyServerForm(): ServerFormValues {
  return {
    name: '',
    alias: '',
    description: '',
    transport: 'stdio',
    command: '',
    args: '',
    env: [],
    url: '',
    headers: [],
    bearerToken: '',
    perUser: false,
    alwaysOn: false,
    idleTimeoutSeconds: '',
  };
}

function toPairs(map: Record<string, string> | undefined): KeyValue[] {
  return Object.entries(map ?? {}).map(([key, value]) => ({ key, value }));
}

function fromPairs(pairs: KeyValue[]): Record<string, string> | undefined {
  const filled = pairs.filter((pair) => pair.key.trim() !== '');
  return filled.length ? Object.fromEntries(filled.map((pair) => [pair.key.trim(), pair.value])) : undefined;
}

function splitLines(text: string): string[] | undefined {
  const lines = text.split('\n').map((line) => line.trim()).filter((line) => line !== '');
  return lines.length ? lines : undefined;
}

/** Form values for editing a registered server (secret values arrive redacted). */
export function serverFormFromConfig(config: ServerConfig): ServerFormValues {
  return {
    name: config.name,
    alias: config.alias ?? '',
    description: config.description ?? '',
    transport: config.transport,
    command: config.command ?? '',
    args: (config.args ?? []).join('\n'),
    env: toPairs(config.env),
    url: config.url ?? '',
    headers: toPairs(config.headers),
    bearerToken: config.bearer_token ?? '',
    perUser: config.credentials === 'per_user',
    alwaysOn: config.always_on ?? false,
    idleTimeoutSeconds: config.idle_timeout_seconds?.toString() ?? '',
  };
}

/** A typed number as a number; anything else as typed, for the schema to name the problem. */
function numberField(text: string): number | string | undefined {
  const trimmed = text.trim();
  if (trimmed === '') return undefined;
  return Number.isFinite(Number(trimmed)) ? Number(trimmed) : trimmed;
}

/** The config the form describes; only the fields of the chosen transport are kept. */
export function configFromServerForm(values: ServerFormValues): ServerConfigInput {
  const common = {
    name: values.name.trim(),
    alias: values.alias.trim() || undefined,
    transport: values.transport,
    description: values.description.trim() || undefined,
  };
  if (values.transport === 'stdio') {
    return {
      ...common,
      command: values.command.trim() || undefined,
      args: splitLines(values.args),
      env: fromPairs(values.env),
      always_on: values.alwaysOn || undefined,
      // A wrong value goes to the schema as typed: its message names the field.
      idle_timeout_seconds: numberField(values.idleTimeoutSeconds) as number | undefined,
    };
  }
  return {
    ...common,
    url: values.url.trim() || undefined,
    headers: fromPairs(values.headers),
    // A per-user server's token is each person's own: the form hides the shared one.
    bearer_token: (!values.perUser && values.bearerToken.trim()) || undefined,
    credentials: values.perUser ? 'per_user' : undefined,
  };
}

/** Validates the form; returns the config to send or the one-line problem. */
export function validateServerForm(values: ServerFormValues): { config: ServerConfigInput } | { problem: string } {
  const config = configFromServerForm(values);
  try {
    parseServerConfig(config);
    return { config };
  } catch (error) {
    return { problem: (error as Error).message };
  }
}
