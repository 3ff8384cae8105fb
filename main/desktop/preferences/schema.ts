// The desktop app's preferences: shape, defaults, validation, and repair of what is on disk.
// Nothing secret is ever kept here: a PostgreSQL password found in a stored URL is taken out and
// handed back to the caller to move into the OS keychain.
import { z } from 'zod';
import { DEFAULT_PORT } from '../../core/defaults.ts';
import type { DesktopPreferences, PreferencesPatch } from '../../../preload/canopy-bridge.ts';
import { hasPassword, passwordAccount, splitPostgresUrl } from '../storage/postgres-url.ts';

const PREFERENCES_VERSION = 1;

const boundsSchema = z.object({
  x: z.number().int().optional(),
  y: z.number().int().optional(),
  width: z.number().int().min(320).max(10_000),
  height: z.number().int().min(240).max(10_000),
  maximized: z.boolean().optional(),
});
export type WindowBounds = z.infer<typeof boundsSchema>;

/** Ports below 1024 need privileges on macOS and Linux. */
const portSchema = z.number().int().min(1024).max(65_535);
const themeSchema = z.enum(['system', 'light', 'dark']);

const postgresUrlSchema = z
  .string()
  .refine((url) => !hasPassword(url), 'a PostgreSQL URL in preferences must not contain a password')
  .refine((url) => /^postgres(ql)?:\/\//.test(url), 'expected postgres://user@host:5432/database');

const storageSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite') }),
  z.object({ kind: z.literal('postgres'), url: postgresUrlSchema }),
]);

export const preferencesSchema = z.object({
  version: z.literal(PREFERENCES_VERSION),
  port: portSchema,
  startAtLogin: z.boolean(),
  theme: themeSchema,
  storage: storageSchema,
  windowBounds: boundsSchema.optional(),
});
export type Preferences = z.infer<typeof preferencesSchema>;

export const DEFAULT_PREFERENCES: Preferences = {
  version: PREFERENCES_VERSION,
  port: DEFAULT_PORT,
  startAtLogin: false,
  theme: 'system',
  storage: { kind: 'sqlite' },
};

const preferencesPatchSchema = z
  .object({ port: portSchema, startAtLogin: z.boolean(), theme: themeSchema })
  .partial()
  .strict() satisfies z.ZodType<PreferencesPatch>;

export interface LoadedPreferences {
  preferences: Preferences;
  /** Fields that were missing or invalid and now hold their default (worth a log line). */
  repaired: string[];
  /** A password found in a stored PostgreSQL URL: move it to the keychain. */
  passwordToMove?: { account: string; password: string };
  /** True when what is on disk differs from `preferences` and should be rewritten. */
  needsWrite: boolean;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** Takes the password out of a stored PostgreSQL URL (an old or hand-edited file). */
function extractPassword(storage: unknown): { storage: unknown; passwordToMove?: LoadedPreferences['passwordToMove'] } {
  const record = asRecord(storage);
  if (record.kind !== 'postgres' || typeof record.url !== 'string' || !hasPassword(record.url)) return { storage };
  const split = splitPostgresUrl(record.url);
  return {
    storage: { kind: 'postgres', url: split.url },
    passwordToMove: split.password ? { account: passwordAccount(split.url), password: split.password } : undefined,
  };
}

/** Reads whatever is stored (any version, hand-edited, empty): each bad field falls back alone. */
export function loadPreferences(stored: unknown): LoadedPreferences {
  const raw = asRecord(stored);
  const { storage, passwordToMove } = extractPassword(raw.storage);
  const candidate: Record<string, unknown> = { ...raw, storage, version: PREFERENCES_VERSION };
  const shape = preferencesSchema.shape;
  const repaired: string[] = [];
  const preferences = { ...DEFAULT_PREFERENCES } as Record<string, unknown>;
  for (const key of Object.keys(shape) as (keyof Preferences)[]) {
    const parsed = shape[key].safeParse(candidate[key]);
    if (parsed.success) {
      if (parsed.data !== undefined) preferences[key] = parsed.data;
    } else if (key in raw) {
      repaired.push(key);
    }
  }
  const result = preferencesSchema.parse(preferences);
  const needsWrite = JSON.stringify(result) !== JSON.stringify(stored);
  return { preferences: result, repaired, needsWrite, ...(passwordToMove ? { passwordToMove } : {}) };
}

/** Applies a change the window asked for; throws a ZodError-derived message on bad input. */
export function applyPatch(current: Preferences, patch: unknown): Preferences {
  const parsed = preferencesPatchSchema.safeParse(patch);
  if (!parsed.success) throw new Error(`invalid preferences: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`).join('; ')}`);
  return preferencesSchema.parse({ ...current, ...parsed.data });
}

/** What the window sees: no window bounds, no version. */
export function preferencesView({ port, startAtLogin, theme, storage }: Preferences): DesktopPreferences {
  return { port, startAtLogin, theme, storage };
}
