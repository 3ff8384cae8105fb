// The legacy HTTP+SSE transport (MCP 2024-11-05) of `/sse` + `/messages`: SDK v2 serves no
// HTTP+SSE, so Canopy keeps its own, as the SDK v1 one behaved. The client's GET opens an event
// stream whose first event names the URL to POST messages to; every message to the client is an
// event on that stream, and a POSTed message is answered 202 at once (its response goes on the stream).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonContentType, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { isJsonRpcMessage } from './json-rpc-message.ts';

export class LegacySseTransport implements Transport {
  readonly sessionId = randomUUID();
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private stream: ServerResponse | undefined;

  /** `endpoint`: the path messages are POSTed to; the session id is added as `?sessionId=`. */
  constructor(
    private readonly endpoint: string,
    private readonly res: ServerResponse,
  ) {}

  async start(): Promise<void> {
    if (this.stream) throw new Error('LegacySseTransport already started');
    this.res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache, no-transform', Connection: 'keep-alive' });
    const url = new URL(this.endpoint, 'http://localhost');
    url.searchParams.set('sessionId', this.sessionId);
    this.res.write(`event: endpoint\ndata: ${url.pathname}${url.search}\n\n`);
    this.stream = this.res;
    this.res.on('close', () => {
      this.stream = undefined;
      this.onclose?.();
    });
  }

  /** A message the client POSTed (its body already parsed as JSON). */
  async handlePostMessage(req: IncomingMessage, res: ServerResponse, body: unknown): Promise<void> {
    if (!this.stream) {
      res.writeHead(500).end('SSE connection not established');
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      res.writeHead(400).end(`Unsupported content-type: ${req.headers['content-type'] ?? '(none)'}`);
      return;
    }
    if (!isJsonRpcMessage(body)) {
      res.writeHead(400).end(`Invalid message: ${JSON.stringify(body)}`);
      return;
    }
    this.onmessage?.(body);
    res.writeHead(202).end('Accepted');
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (!this.stream) throw new Error('Not connected');
    this.stream.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
  }

  async close(): Promise<void> {
    this.stream?.end();
    this.stream = undefined;
    this.onclose?.();
  }
}
