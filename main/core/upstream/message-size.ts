// The per-server bound on one message from an upstream (`max_response_bytes`). A message above it
// is never buffered whole: its bytes are skipped while a small scanner picks out its JSON-RPC `id`
// and whether it has a `method`, so the call it answers fails at once with an error naming the
// limit, and the connection reads on.
import type { JSONRPCMessage } from '@modelcontextprotocol/client';

export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** JSON-RPC code of the synthesized error (internal error); `data.kind` tells it apart. */
const INTERNAL_ERROR = -32603;

function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

export function tooLargeText(server: string, limitBytes: number): string {
  return (
    `server '${server}' sent a message larger than the ${formatBytes(limitBytes)} limit (max_response_bytes = ${limitBytes}); ` +
    `it was dropped. Raise max_response_bytes in the server's config if such large results are expected`
  );
}

/** What could be learned about a message that was skipped for its size. */
export interface OversizedMessage {
  /** Its top-level JSON-RPC id (undefined: a notification, or no id seen). */
  id?: string | number;
  /** True when it had a top-level `method` (a request or notification, not a response). */
  hasMethod: boolean;
}

/**
 * What to do with a skipped message: a response becomes a JSON-RPC error for the pending call it
 * answers (`toClient`); a request from the server gets an error reply (`toServer`); a notification
 * is only reported.
 */
export function answerOversized(found: OversizedMessage, text: string, limitBytes: number): { toClient?: JSONRPCMessage; toServer?: JSONRPCMessage } {
  if (found.id === undefined) return {};
  const reply = { jsonrpc: '2.0', id: found.id, error: { code: INTERNAL_ERROR, message: text, data: { kind: 'too_large', limitBytes } } } as JSONRPCMessage;
  return found.hasMethod ? { toServer: reply } : { toClient: reply };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = new Set([0x7b, 0x5b]); // { [
const CLOSE = new Set([0x7d, 0x5d]); // } ]
const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
/** Longest id or key kept while scanning (longer ones are not JSON-RPC ids we could match anyway). */
const MAX_TOKEN = 256;

/**
 * Streams over the bytes of one JSON object and records its top-level `id` and `method` keys
 * without keeping the rest. Bytes before the first `{` (an SSE `data: ` prefix) are skipped.
 * UTF-8 continuation bytes are all ≥ 0x80, so byte-wise scanning never mistakes them for syntax.
 */
export class EnvelopeScanner {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private done = false;
  /** At depth 1: the key being read or just read, and whether its value comes next. */
  private token: number[] | undefined;
  private key: string | undefined;
  private expectValue = false;
  private value: number[] | undefined;
  private valueIsString = false;
  readonly found: OversizedMessage = { hasMethod: false };

  feed(bytes: Uint8Array): void {
    for (let i = 0; i < bytes.length && !this.done; i++) this.step(bytes[i]);
  }

  private step(byte: number): void {
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (byte === BACKSLASH) this.escaped = true;
      else if (byte === QUOTE) {
        this.inString = false;
        if (this.depth === 1 && this.value && this.valueIsString) this.finishValue();
        return;
      }
      if (this.depth === 1) this.keep(this.value ?? this.token, byte);
      return;
    }
    if (byte === QUOTE) {
      this.inString = true;
      if (this.depth !== 1) return;
      if (this.expectValue) {
        this.value = [];
        this.valueIsString = true;
        this.expectValue = false;
      } else this.token = [];
      return;
    }
    if (OPEN.has(byte)) {
      if (this.depth === 1 && this.expectValue) this.expectValue = false; // an object/array value: not an id
      this.depth++;
      return;
    }
    if (CLOSE.has(byte)) {
      if (this.depth === 1 && this.value) this.finishValue();
      this.depth--;
      if (this.depth === 0) this.done = true;
      return;
    }
    if (this.depth !== 1) return;
    if (byte === COLON && this.token) {
      this.key = Buffer.from(this.token).toString('utf8');
      this.token = undefined;
      if (this.key === 'method') this.found.hasMethod = true;
      this.expectValue = true;
      return;
    }
    if (byte === COMMA) {
      if (this.value) this.finishValue();
      this.expectValue = false;
      return;
    }
    if (WHITESPACE.has(byte)) return;
    if (this.expectValue) {
      this.value = [];
      this.valueIsString = false;
      this.expectValue = false;
    }
    if (this.value) this.keep(this.value, byte);
  }

  private keep(into: number[] | undefined, byte: number): void {
    if (into && into.length < MAX_TOKEN) into.push(byte);
  }

  private finishValue(): void {
    const text = Buffer.from(this.value!).toString('utf8');
    if (this.key === 'id') {
      if (this.valueIsString) this.found.id = text;
      else if (/^-?\d+$/.test(text)) this.found.id = Number(text);
    }
    this.value = undefined;
    this.key = undefined;
  }
}

const NEWLINE = 0x0a;

/**
 * Splits a byte stream into lines of at most `limitBytes`. A longer line is skipped up to its
 * newline (only its envelope is scanned) and reported once, so the stream stays usable.
 */
export class BoundedLineReader {
  private parts: Buffer[] = [];
  private size = 0;
  private skipping: EnvelopeScanner | undefined;

  constructor(
    private readonly limitBytes: number,
    private readonly onLine: (line: Buffer) => void,
    private readonly onOversized: (found: OversizedMessage) => void,
  ) {}

  write(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const end = chunk.indexOf(NEWLINE, start);
      const piece = chunk.subarray(start, end === -1 ? chunk.length : end);
      this.take(piece);
      if (end === -1) return;
      this.endLine();
      start = end + 1;
    }
  }

  clear(): void {
    this.parts = [];
    this.size = 0;
    this.skipping = undefined;
  }

  private take(piece: Buffer): void {
    if (this.skipping) {
      this.skipping.feed(piece);
      return;
    }
    if (this.size + piece.length <= this.limitBytes) {
      if (piece.length > 0) this.parts.push(piece);
      this.size += piece.length;
      return;
    }
    this.skipping = new EnvelopeScanner();
    for (const part of this.parts) this.skipping.feed(part);
    this.skipping.feed(piece);
    this.parts = [];
    this.size = 0;
  }

  private endLine(): void {
    if (this.skipping) {
      const { found } = this.skipping;
      this.skipping = undefined;
      this.onOversized(found);
      return;
    }
    const line = this.parts.length === 1 ? this.parts[0] : Buffer.concat(this.parts);
    this.parts = [];
    this.size = 0;
    this.onLine(line);
  }
}
