// The server config format (MCPJungle's JSON, plus a few Canopy fields), validated with zod.
// Every entry point (config file, `mcpServers` import, API body, CLI flags) ends up here.
import { isHttpsUrl } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { serverNameProblem } from './names.ts';
import { ConfigError } from './config-error.ts';

export const TRANSPORTS = ['stdio', 'streamable_http', 'sse'] as const;
export type Transport = (typeof TRANSPORTS)[number];

const serverName = z.string().superRefine((name, ctx) => {
  const problem = serverNameProblem(name);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const httpUrl = z.string().superRefine((value, ctx) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    ctx.addIssue({ code: 'custom', message: `"${value}" is not a URL` });
    return;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.addIssue({ code: 'custom', message: 'must be an http:// or https:// URL' });
  }
});

const stringMap = z.record(z.string(), z.string());

/** The longest `idle_timeout_seconds` (and CANOPY_IDLE_TIMEOUT_SECONDS): one day. */
export const MAX_IDLE_TIMEOUT_SECONDS = 86_400;

export const serverConfigSchema = z
  .object({
    name: serverName,
    transport: z.enum(TRANSPORTS).optional(),
    /** A short prefix for its tools and prompts on aggregated views (`gh__create_issue`); same rules as a name, unique among names and aliases. */
    alias: serverName.optional(),
    description: z.string().max(2000).optional(),
    url: httpUrl.optional(),
    command: z.string().min(1, 'must not be empty').optional(),
    args: z.array(z.string()).optional(),
    env: stringMap.optional(),
    /** Working directory of a stdio server; default the user's home directory. */
    cwd: z
      .string()
      .regex(/^(\/|[A-Za-z]:[\\/]|\\\\)/, 'must be an absolute path (e.g. /home/me/project or C:\\project)')
      .optional(),
    /** Names of `env` entries that are not secret (stored in the DB in the clear, shown in exports). */
    public_env: z.array(z.string()).optional(),
    headers: stringMap.optional(),
    bearer_token: z.string().min(1, 'must not be empty').optional(),
    oauth_redirect_uri: httpUrl.optional(),
    oauth_client_id: z.string().min(1).optional(),
    oauth_client_secret: z.string().min(1).optional(),
    oauth_scopes: z.array(z.string()).optional(),
    /** Where Canopy's client ID metadata document is published: the client ID at authorization servers that support such documents. */
    oauth_client_metadata_url: z
      .string()
      .refine(isHttpsUrl, 'must be an https:// URL with a path (where the client ID metadata document is published)')
      .optional(),
    /** How long connecting plus initialize (and each catalog request) may take; default 30 s. */
    initialize_timeout_ms: z.number().int().min(1_000, 'must be at least 1000 (ms)').max(600_000, 'must be at most 600000 (10 minutes)').optional(),
    /** Largest single message (a tool result, a resource) read from the server; default 10 MB. */
    max_response_bytes: z.number().int().min(1024, 'must be at least 1024 (bytes)').max(1024 ** 3, 'must be at most 1 GB (1073741824 bytes)').optional(),
    /**
     * `shared` (default): one connection serves every client. `per_session`: each downstream session
     * gets its own connection (its own process for stdio) that mirrors its client's capabilities and roots.
     */
    isolation: z.enum(['shared', 'per_session']).optional(),
    /**
     * `shared` (default): the server's own credentials serve everyone. `per_user` (enterprise mode,
     * HTTP/SSE servers): each Canopy user connects their own account (a personal token or OAuth) and
     * every call uses the caller's own credentials.
     */
    credentials: z.enum(['shared', 'per_user']).optional(),
    /**
     * stdio: the process stops after this many seconds with no request in flight and no resource
     * subscription open, and starts again at the next request (its catalog stays listed meanwhile).
     * Default 600, or the gateway's CANOPY_IDLE_TIMEOUT_SECONDS.
     */
    idle_timeout_seconds: z.number().int().min(1, 'must be at least 1 (second)').max(MAX_IDLE_TIMEOUT_SECONDS, `must be at most ${MAX_IDLE_TIMEOUT_SECONDS} (one day)`).optional(),
    /** stdio: never stop the process for being idle. */
    always_on: z.boolean().optional(),
  })
  .strict()
  .transform((config, ctx) => {
    const transport: Transport = config.transport ?? (config.command ? 'stdio' : 'streamable_http');
    if (transport === 'stdio') {
      if (!config.command) ctx.addIssue({ code: 'custom', path: ['command'], message: 'is required for a stdio server' });
      if (config.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'is not used by a stdio server (remove it)' });
      for (const field of ['headers', 'bearer_token', 'oauth_client_id', 'oauth_client_secret'] as const) {
        if (config[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: 'applies to HTTP servers only; a stdio server gets credentials through env' });
        }
      }
      if (config.credentials === 'per_user') {
        ctx.addIssue({
          code: 'custom',
          path: ['credentials'],
          message: '"per_user" applies to HTTP servers (streamable_http or sse), where each person connects their own account; a stdio server gets one set of credentials through env',
        });
      }
    } else {
      if (!config.url) ctx.addIssue({ code: 'custom', path: ['url'], message: `is required for a ${transport} server` });
      if (config.credentials === 'per_user') perUserProblems(config, ctx);
      for (const field of ['command', 'args', 'env', 'cwd', 'idle_timeout_seconds', 'always_on'] as const) {
        if (config[field] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [field], message: `applies to stdio servers only (transport is ${transport})` });
        }
      }
    }
    return { ...config, transport };
  });

/** What a per-user server may not carry: credentials everyone would share, or a connection per session on top of one per user. */
function perUserProblems(config: { bearer_token?: string; headers?: Record<string, string>; isolation?: string }, ctx: z.RefinementCtx): void {
  const shared = 'is shared by everyone; a "per_user" server uses each person\'s own token or OAuth account (remove it)';
  if (config.bearer_token !== undefined) ctx.addIssue({ code: 'custom', path: ['bearer_token'], message: shared });
  const authorization = Object.keys(config.headers ?? {}).find((name) => name.toLowerCase() === 'authorization');
  if (authorization) ctx.addIssue({ code: 'custom', path: ['headers', authorization], message: shared });
  if (config.isolation === 'per_session') {
    ctx.addIssue({ code: 'custom', path: ['isolation'], message: 'cannot be "per_session" on a "per_user" server (each user already gets a connection of their own)' });
  }
}

/** Whether calls to this server use each caller's own credentials. */
export function isPerUser(config: Pick<ServerConfig, 'credentials'>): boolean {
  return config.credentials === 'per_user';
}

export type ServerConfigInput = z.input<typeof serverConfigSchema>;
export type ServerConfig = z.output<typeof serverConfigSchema>;

/** Whether two configs say the same thing (key order, and fields left out vs undefined, do not count). */
export function sameServerConfig(a: ServerConfig, b: ServerConfig): boolean {
  const canonical = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(canonical);
    if (value === null || typeof value !== 'object') return value;
    const entries = Object.entries(value).filter(([, item]) => item !== undefined);
    return Object.fromEntries(entries.sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)).map(([key, item]) => [key, canonical(item)]));
  };
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

const TYPE_WORDS: Record<string, string> = {
  array: 'an array',
  object: 'an object',
  record: 'an object',
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
};

/** What a JSON value is, in words: "a string", "null", "an array". */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const shown = JSON.stringify(value) ?? String(value);
  return `${TYPE_WORDS[typeof value] ?? typeof value} (${shown.length > 40 ? `${shown.slice(0, 39)}…` : shown})`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
    case 'invalid_type':
      // A missing field and a field of the wrong type are different mistakes: say which it is.
      if (issue.input === undefined) return 'is required';
      return `must be ${TYPE_WORDS[issue.expected] ?? issue.expected}, not ${describeValue(issue.input)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, not ${describeValue(issue.input)}`;
    default:
      return issue.message;
  }
}

/** Formats a zod error as one line naming the first offending field. Issues need `input` (parse with `reportInput`). */
function describeZodError(error: z.ZodError, what: string): ConfigError {
  const issue = error.issues[0];
  if (!issue) return new ConfigError(`invalid ${what}`);
  const field = issue.path.map(String).join('.');
  const message = issueMessage(issue);
  return new ConfigError(field ? `invalid ${what}: field '${field}' ${message}` : `invalid ${what}: ${message}`, field || undefined);
}

/**
 * Validates `input` against `schema`; a ConfigError naming the field and what was wrong with it
 * otherwise. Every edge (config files, API bodies, imports) validates through here.
 */
export function parseOrThrow<T extends z.ZodType>(schema: T, input: unknown, what: string): z.output<T> {
  const result = schema.safeParse(input, { reportInput: true });
  if (!result.success) throw describeZodError(result.error, what);
  return result.data;
}

export function parseServerConfig(input: unknown): ServerConfig {
  return parseOrThrow(serverConfigSchema, input, 'server config');
}
