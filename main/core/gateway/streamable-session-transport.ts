// The streamable-HTTP transport of one MCP 2025-11-25 session, on Node's own request and response.
// Unlike the SDK's web-standard transport it decides per POST how to answer: a plain JSON body when
// only the responses come back (a tool call's usual case), and an SSE stream from the first moment the
// session has something else to say on that request (progress, a log line, an elicitation) or the
// answer takes longer than a keep-alive interval. The spec lets the server pick either; clients must
// accept both. Answering JSON saves the stream, its chunked writes and the conversion to web streams.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isJsonContentType, type JSONRPCMessage, type RequestId, type Transport, type TransportSendOptions } from '@modelcontextprotocol/server';
import { writeJsonRpcError as answerError } from './json-rpc-error.ts';
import { isJsonRpcMessage } from './json-rpc-message.ts';

/** Most messages one POST may carry (what the SDK's transport allows). */
const MAX_BATCH_SIZE = 100;
/** An SSE stream (a POST's or the GET one) sends a comment this often, so idle proxies keep it open. */
const KEEP_ALIVE_MS = 15_000;

const CLOSING_BRACE = Buffer.from('}');

const SSE_HEADERS = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' };

const isRequest = (message: JSONRPCMessage): boolean => 'method' in message && 'id' in message;
const isResponse = (message: JSONRPCMessage): boolean => !('method' in message) && 'id' in message;
const isInitialize = (message: JSONRPCMessage): boolean => isRequest(message) && (message as { method: string }).method === 'initialize';

/** Comments on an open SSE stream, so idle proxies keep it open. */
const keepAlive = (res: ServerResponse) => setInterval(() => res.write(': keepalive\n\n'), KEEP_ALIVE_MS).unref();

const sseEvent = (message: JSONRPCMessage) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

/** One POST with requests: its answer, JSON until something other than a response must go out first. */
class PostAnswer {
  /** Responses held for the JSON body, in arrival order. */
  private readonly held: JSONRPCMessage[] = [];
  private streaming = false;
  private finished = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    /** Requests not answered yet. */
    readonly waiting: Set<RequestId>,
    /** Whether the POST carried one message, not a batch: a single JSON body answers it. */
    private readonly single: boolean,
    private readonly onDone: (answer: PostAnswer) => void,
  ) {
    // A slow answer switches to a stream, whose comments keep idle connections from being cut.
    this.timer = setTimeout(() => this.stream(), KEEP_ALIVE_MS).unref();
    res.once('close', () => this.finish());
  }

  /** Something for the client on this request; `response` answers one of its requests. */
  deliver(message: JSONRPCMessage): void {
    if (this.finished) return;
    if (isResponse(message)) {
      this.waiting.delete((message as { id: RequestId }).id);
      if (this.streaming) this.res.write(sseEvent(message));
      else this.held.push(message);
      if (this.waiting.size === 0) this.end();
      return;
    }
    this.stream();
    this.res.write(sseEvent(message));
  }

  /** Ends the answer early (the session closed): a stream just ends; an unsent JSON body says why. */
  abandon(): void {
    if (this.finished) return;
    if (this.streaming) this.res.end();
    else answerError(this.res, 404, -32001, 'Session closed: start a new session with initialize');
    this.finish();
  }

  private stream(): void {
    if (this.streaming || this.finished) return;
    this.streaming = true;
    this.res.writeHead(200, { ...SSE_HEADERS, ...this.headers });
    for (const message of this.held.splice(0)) this.res.write(sseEvent(message));
    clearTimeout(this.timer);
    this.timer = keepAlive(this.res);
  }

  private end(): void {
    if (this.streaming) this.res.end();
    else {
      const body = JSON.stringify(this.single ? this.held[0] : this.held);
      this.res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...this.headers }).end(body);
    }
    this.finish();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer); // the first answer's deadline, or the stream's keep-alive (Node clears either)
    this.onDone(this);
  }
}

export class StreamableSessionTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  private supportedVersions: readonly string[] = [];
  private initialized = false;
  private closed = false;
  /** The GET stream: messages not related to a request go there. */
  private standalone: ServerResponse | undefined;
  private standaloneTimer: NodeJS.Timeout | undefined;
  /** Which POST's answer each unanswered request belongs to. */
  private readonly answers = new Map<RequestId, PostAnswer>();

  constructor(
    readonly sessionId: string,
    /** Called once the initialize request is accepted: the session is then reachable by its id. */
    private readonly onInitialized: () => void,
    /** A request's result the session has ready as encoded JSON (a cached list), answered without dispatch. */
    private readonly serializedResult: (request: JSONRPCMessage) => Buffer | undefined = () => undefined,
  ) {}

  async start(): Promise<void> {}

  /** Told by the SDK Server on connect: the versions a request's MCP-Protocol-Version header may name. */
  setSupportedProtocolVersions(versions: string[]): void {
    this.supportedVersions = versions;
  }

  /** One HTTP request of this session: POST (its body already parsed), GET (the stream) or DELETE. */
  handle(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    if (this.closed) return answerError(res, 404, -32001, 'Session not found: start a new session with initialize');
    switch (req.method) {
      case 'POST':
        return this.post(req, res, body);
      case 'GET':
        return this.get(req, res);
      case 'DELETE':
        return this.delete(req, res);
      default:
        return answerError(res, 405, -32000, 'Method not allowed.', { allow: 'GET, POST, DELETE' });
    }
  }

  /** A header problem every request after initialize is checked for, or undefined. */
  private versionProblem(req: IncomingMessage): string | undefined {
    const version = req.headers['mcp-protocol-version'];
    if (version === undefined || this.supportedVersions.includes(version as string)) return undefined;
    return `Bad Request: Unsupported protocol version: ${String(version)} (supported versions: ${this.supportedVersions.join(', ')})`;
  }

  private post(req: IncomingMessage, res: ServerResponse, body: unknown): void {
    const accept = req.headers.accept ?? '';
    if (!accept.includes('application/json') || !accept.includes('text/event-stream')) {
      return answerError(res, 406, -32000, 'Not Acceptable: Client must accept both application/json and text/event-stream');
    }
    if (!isJsonContentType(req.headers['content-type'])) return answerError(res, 415, -32000, 'Unsupported Media Type: Content-Type must be application/json');
    const batch = Array.isArray(body);
    if (batch && body.length > MAX_BATCH_SIZE) return answerError(res, 400, -32600, `Invalid Request: Batch must not exceed ${MAX_BATCH_SIZE} messages`);
    const messages: unknown[] = batch ? body : [body];
    if (messages.length === 0 || !messages.every(isJsonRpcMessage)) return answerError(res, 400, -32700, 'Parse error: Invalid JSON-RPC message');
    const valid = messages as JSONRPCMessage[];
    const headers = { 'mcp-session-id': this.sessionId };
    if (valid.some(isInitialize)) {
      if (this.initialized) return answerError(res, 400, -32600, 'Invalid Request: Server already initialized');
      if (valid.length > 1) return answerError(res, 400, -32600, 'Invalid Request: Only one initialization request is allowed');
      this.initialized = true;
      this.onInitialized();
    } else {
      if (!this.initialized) return answerError(res, 400, -32000, 'Bad Request: Server not initialized');
      const problem = this.versionProblem(req);
      if (problem) return answerError(res, 400, -32000, problem);
    }
    const requests = valid.filter(isRequest).map((message) => (message as { id: RequestId }).id);
    // Answers find their POST by id: a second request with a waiting id would take the first one's
    // answer and leave the other POST open for good.
    const reused = requests.find((id, i) => this.answers.has(id) || requests.indexOf(id) !== i);
    if (reused !== undefined) return answerError(res, 400, -32600, `Invalid Request: request id ${JSON.stringify(reused)} is already in use in this session`);
    if (requests.length === 0) {
      res.writeHead(202, headers).end();
      for (const message of valid) this.onmessage?.(message);
      return;
    }
    const ready = !batch && this.serializedResult(valid[0]);
    if (ready) {
      const body = Buffer.concat([Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(requests[0])},"result":`), ready, CLOSING_BRACE]);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, ...headers }).end(body);
      return;
    }
    const answer = new PostAnswer(res, headers, new Set(requests), !batch, (done) => {
      for (const id of done.waiting) if (this.answers.get(id) === done) this.answers.delete(id);
    });
    for (const id of requests) this.answers.set(id, answer);
    for (const message of valid) this.onmessage?.(message);
  }

  private get(req: IncomingMessage, res: ServerResponse): void {
    if (!(req.headers.accept ?? '').includes('text/event-stream')) return answerError(res, 406, -32000, 'Not Acceptable: Client must accept text/event-stream');
    if (!this.initialized) return answerError(res, 400, -32000, 'Bad Request: Server not initialized');
    const problem = this.versionProblem(req);
    if (problem) return answerError(res, 400, -32000, problem);
    if (this.standalone) return answerError(res, 409, -32000, 'Conflict: Only one SSE stream is allowed per session');
    res.writeHead(200, { ...SSE_HEADERS, 'mcp-session-id': this.sessionId });
    res.flushHeaders();
    this.standalone = res;
    this.standaloneTimer = keepAlive(res);
    res.once('close', () => {
      if (this.standalone !== res) return;
      clearInterval(this.standaloneTimer);
      this.standalone = undefined;
    });
  }

  private delete(req: IncomingMessage, res: ServerResponse): void {
    const problem = this.versionProblem(req);
    if (problem) return answerError(res, 400, -32000, problem);
    res.writeHead(200).end();
    void this.close();
  }

  async send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    const related = isResponse(message) ? (message as { id: RequestId }).id : options?.relatedRequestId;
    const answer = related === undefined ? undefined : this.answers.get(related);
    if (answer) {
      if (isResponse(message)) this.answers.delete(related!);
      answer.deliver(message);
      return;
    }
    // A response whose POST is gone (the client hung up) has nowhere to go; other messages fall
    // back to the GET stream when one is open, as the SDK's transport does.
    if (!isResponse(message)) this.standalone?.write(sseEvent(message));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const answer of new Set(this.answers.values())) answer.abandon();
    this.answers.clear();
    clearInterval(this.standaloneTimer);
    this.standalone?.end();
    this.standalone = undefined;
    this.onclose?.();
  }
}
