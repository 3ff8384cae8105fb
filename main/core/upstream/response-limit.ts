// `max_response_bytes` for remote upstreams: a fetch wrapper that bounds what the SDK's HTTP
// transports read. A JSON body above the limit becomes JSON-RPC errors for the requests it
// answers; an SSE event above it is skipped and, when it was a response, replaced by an error
// event for its id. Either way the pending call fails at once and the connection stays usable.
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { answerOversized, EnvelopeScanner, type OversizedMessage } from './message-size.ts';

export interface ResponseLimit {
  limitBytes: number;
  /** The error text naming the limit. */
  text: string;
  /** A skipped message nobody waits for (a notification): reported, not answered. */
  onDropped?: (found: OversizedMessage) => void;
}

export function fetchWithResponseLimit(inner: typeof fetch, limit: ResponseLimit): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const type = response.headers.get('content-type') ?? '';
    let body: ReadableStream<Uint8Array>;
    if (type.includes('text/event-stream')) body = response.body.pipeThrough(sseEventLimit(limit));
    else if (type.includes('application/json')) body = response.body.pipeThrough(jsonBodyLimit(limit, postedRequestIds(init?.body)));
    else return response;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** Ids of the requests a POST carried: a JSON body answering them all is what the limit replaces. */
function postedRequestIds(body: unknown): (string | number)[] {
  if (typeof body !== 'string') return [];
  try {
    const parsed = JSON.parse(body) as unknown;
    const messages = (Array.isArray(parsed) ? parsed : [parsed]) as { id?: unknown; method?: unknown }[];
    return messages.filter((m) => typeof m?.method === 'string' && (typeof m.id === 'string' || typeof m.id === 'number')).map((m) => m.id as string | number);
  } catch {
    return [];
  }
}

function errorsFor(ids: (string | number)[], limit: ResponseLimit): JSONRPCMessage[] {
  return ids.flatMap((id) => answerOversized({ id, hasMethod: false }, limit.text, limit.limitBytes).toClient ?? []);
}

function jsonBodyLimit(limit: ResponseLimit, ids: (string | number)[]): TransformStream<Uint8Array, Uint8Array> {
  const parts: Uint8Array[] = [];
  let size = 0;
  let over = false;
  return new TransformStream({
    transform(chunk) {
      if (over) return;
      size += chunk.length;
      if (size <= limit.limitBytes) parts.push(chunk);
      else {
        over = true;
        parts.length = 0;
      }
    },
    flush(controller) {
      if (!over) {
        for (const part of parts) controller.enqueue(part);
        return;
      }
      const errors = errorsFor(ids, limit);
      if (errors.length === 0) limit.onDropped?.({ hasMethod: false });
      controller.enqueue(new TextEncoder().encode(JSON.stringify(errors.length === 1 ? errors[0] : errors)));
    },
  });
}

const LF = 0x0a;
const CR = 0x0d;

/**
 * Holds each SSE event (up to the blank line that ends it) until it is complete, so an event over
 * the limit can still be dropped whole. Lines end in LF or CRLF (what MCP servers send).
 */
function sseEventLimit(limit: ResponseLimit): TransformStream<Uint8Array, Uint8Array> {
  let held: Uint8Array[] = [];
  let size = 0;
  let skipping: EnvelopeScanner | undefined;
  /** Whether the last byte seen ended a line (an LF, CRs ignored): a second LF ends the event. */
  let atLineStart = true;
  const take = (piece: Uint8Array) => {
    if (skipping) return skipping.feed(piece);
    if (size + piece.length <= limit.limitBytes) {
      held.push(piece);
      size += piece.length;
      return;
    }
    skipping = new EnvelopeScanner();
    for (const part of held) skipping.feed(part);
    skipping.feed(piece);
    held = [];
    size = 0;
  };
  const endEvent = (controller: TransformStreamDefaultController<Uint8Array>) => {
    if (skipping) {
      const { found } = skipping;
      skipping = undefined;
      const { toClient } = answerOversized(found, limit.text, limit.limitBytes);
      if (toClient) controller.enqueue(new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(toClient)}\n\n`));
      else limit.onDropped?.(found);
      return;
    }
    for (const part of held) controller.enqueue(part);
    held = [];
    size = 0;
  };
  return new TransformStream({
    transform(chunk, controller) {
      let start = 0;
      for (let i = 0; i < chunk.length; i++) {
        const byte = chunk[i];
        if (byte === CR) continue;
        if (byte !== LF) {
          atLineStart = false;
          continue;
        }
        if (!atLineStart) {
          atLineStart = true;
          continue;
        }
        // A blank line: the event ends with this byte.
        take(chunk.subarray(start, i + 1));
        endEvent(controller);
        start = i + 1;
      }
      if (start < chunk.length) take(chunk.subarray(start));
    },
    flush(controller) {
      if (held.length > 0 || skipping) endEvent(controller);
    },
  });
}
