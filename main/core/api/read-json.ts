// Reads and validates an admin API request body (size-limited JSON, checked with zod).
import type { Context } from 'hono';
import type { HttpBindings } from '@hono/node-server';
import type { z } from 'zod';
import { CanopyError, badRequest } from '../errors.ts';
import { parseOrThrow } from '../config/server-config.ts';
import { readBodyLimited } from '../http/read-body.ts';

const MAX_API_BODY_BYTES = 1024 * 1024;

/** `optional`: an empty body reads as `{}` (e.g. a rotate with no options). */
export async function readJson<T extends z.ZodType>(c: Context, schema: T, what: string, options: { optional?: boolean } = {}): Promise<z.output<T>> {
  const body = await readBodyLimited((c.env as HttpBindings).incoming, MAX_API_BODY_BYTES);
  if (!body.ok) throw new CanopyError('payload_too_large', `request body is larger than ${MAX_API_BODY_BYTES} bytes`);
  let raw: unknown;
  try {
    raw = options.optional && body.text.trim() === '' ? {} : JSON.parse(body.text);
  } catch {
    throw badRequest('the request body is not valid JSON');
  }
  return parseOrThrow(schema, raw, what);
}
