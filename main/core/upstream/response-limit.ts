// `max_response_bytes` for remote upstreams: the fetch under the SDK's HTTP transports, bounding
// what they read. A JSON body above the limit becomes JSON-RPC errors for the requests it answers;
// an SSE event above it is skipped and, when it was a response, replaced by an error event for its
// id. Either way the pending call fails at once and the connection stays usable. Every response is
// read in one pass: an SSE body through one stream that also shows each complete event to a
// watcher (request-origins), a JSON body whose length says it fits not at all.
import type { JSONRPCMessage } from '@modelcontextprotocol/client';
import { answerOversized, EnvelopeScanner, type OversizedMessage } from './message-size.ts';
import { RequestSignals, type RequestSignal } from './request-signals.ts';

export interface ResponseLimit {
  limitBytes: number;
  /** The error text naming the limit. */
  text: string;
  /** A skipped message nobody waits for (a notification): reported, not answered. */
  onDropped?: (found: OversizedMessage) => void;
}

/** Sees each complete SSE event within the limit (its bytes), with the request whose response carried it. */
export type SseEventWatcher = (event: Buffer, init: RequestInit | undefined) => void;

export function fetchWithResponseLimit(limit: ResponseLimit, watch?: SseEventWatcher): typeof fetch {
  const signals = new RequestSignals();
  return async (input, init) => {
    const own = signals.follow(init?.signal);
    let response: Response;
    try {
      response = await fetch(input, own ? { ...init, signal: own.signal } : init);
    } catch (error) {
      own?.done();
      throw error;
    }
    const type = response.body ? (response.headers.get('content-type') ?? '') : '';
    if (type.includes('text/event-stream')) {
      const body = sseEventLimit(response.body!, limit, own, watch && ((event) => watch(event, init)));
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    }
    // Any other body is read whole by the SDK at once: closing the transport need not abort it.
    own?.done();
    if (!type.includes('application/json') || fitsAsSent(response, limit)) return response;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    const body = response.body!.pipeThrough(jsonBodyLimit(limit, postedRequestIds(init?.body)));
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
}

/**
 * A body whose Content-Length is within the limit cannot exceed it (HTTP framing ends it there),
 * unless it is compressed: fetch inflates it, so a small compressed body may be a large message.
 */
function fitsAsSent(response: Response, limit: ResponseLimit): boolean {
  const length = response.headers.get('content-length');
  return length !== null && Number(length) <= limit.limitBytes && !response.headers.has('content-encoding');
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
 * the limit can still be dropped whole. Lines end in LF or CRLF (what MCP servers send). A pull
 * stream over the source's reader rather than a TransformStream: one stream per response instead
 * of three, and its end, error or cancellation ends the request's signal (`own`).
 */
function sseEventLimit(source: ReadableStream<Uint8Array>, limit: ResponseLimit, own: RequestSignal | undefined, watch?: (event: Buffer) => void): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let held: Uint8Array[] = [];
  let size = 0;
  let skipping: EnvelopeScanner | undefined;
  /** Whether the last byte seen ended a line (an LF, CRs ignored): a second LF ends the event. */
  let atLineStart = true;
  /** Chunks passed on so far: a pull must pass something on before it returns, or the stream stalls. */
  let passed = 0;
  const pass = (controller: ReadableStreamDefaultController<Uint8Array>, chunk: Uint8Array) => {
    controller.enqueue(chunk);
    passed++;
  };
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
  /** `complete`: ended by its blank line (what is left at the end of a stream is no event). */
  const endEvent = (controller: ReadableStreamDefaultController<Uint8Array>, complete: boolean) => {
    if (skipping) {
      const { found } = skipping;
      skipping = undefined;
      const { toClient } = answerOversized(found, limit.text, limit.limitBytes);
      if (toClient) pass(controller, new TextEncoder().encode(`event: message\ndata: ${JSON.stringify(toClient)}\n\n`));
      else limit.onDropped?.(found);
      return;
    }
    if (complete && watch) watch(held.length === 1 ? Buffer.from(held[0].buffer, held[0].byteOffset, held[0].length) : Buffer.concat(held));
    for (const part of held) pass(controller, part);
    held = [];
    size = 0;
  };
  /** Passes on the events `chunk` completes; holds the rest. */
  const transform = (chunk: Uint8Array, controller: ReadableStreamDefaultController<Uint8Array>) => {
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
      endEvent(controller, true);
      start = i + 1;
    }
    if (start < chunk.length) take(chunk.subarray(start));
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      const before = passed;
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) {
            if (held.length > 0 || skipping) endEvent(controller, false);
            own?.done();
            controller.close();
            return;
          }
          transform(value, controller);
          if (passed > before) return;
        }
      } catch (error) {
        own?.done();
        throw error;
      }
    },
    cancel(reason) {
      own?.done();
      return reader.cancel(reason);
    },
  });
}
