// The stdio bridge's relay: raw JSON-RPC between stdin/stdout and the gateway's streamable-HTTP
// endpoint, both ways: requests, responses, notifications, and the gateway's own requests
// (sampling, elicitation, roots). Loaded by `canopy stdio-bridge` only (the MCP SDK is slow to load).
import type { Readable, Writable } from 'node:stream';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InitializeResultSchema } from '@modelcontextprotocol/core';
import { isInitializeRequest, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';

export interface StdioBridgeOptions {
  /** The gateway's MCP endpoint. */
  url: string;
  token?: string;
  stdin?: Readable;
  stdout?: Writable;
  /** Where errors go (one line each); never stdout, which carries the protocol. */
  logError?: (line: string) => void;
}

/** JSON-RPC "server error" code used when the gateway cannot be reached. */
const GATEWAY_UNREACHABLE = -32000;

/** Relays until stdin closes, then ends the gateway session; resolves once everything is closed. */
export async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
  const stdin = options.stdin ?? process.stdin;
  const logError = options.logError ?? ((line: string) => process.stderr.write(`canopy stdio-bridge: ${line}\n`));
  const local = new StdioServerTransport(stdin, options.stdout ?? process.stdout);
  const remote = new StreamableHTTPClientTransport(new URL(options.url), {
    requestInit: options.token ? { headers: { Authorization: `Bearer ${options.token}` } } : undefined,
  });
  // The protocol version header must follow what the gateway chose in its initialize result.
  let initializeId: RequestId | undefined;

  local.onmessage = (message: JSONRPCMessage) => {
    if (isInitializeRequest(message) && isJSONRPCRequest(message)) initializeId = message.id;
    remote.send(message).catch((error: Error) => {
      // A request must still get an answer, or the app waits forever.
      if (isJSONRPCRequest(message)) {
        void local.send({
          jsonrpc: '2.0',
          id: message.id,
          error: { code: GATEWAY_UNREACHABLE, message: `Canopy is not reachable at ${options.url}: ${error.message}. Is Canopy running?` },
        });
      }
    });
  };
  remote.onmessage = (message: JSONRPCMessage) => {
    if (initializeId !== undefined && isJSONRPCResultResponse(message) && message.id === initializeId) {
      const result = InitializeResultSchema.safeParse(message.result);
      if (result.success) remote.setProtocolVersion(result.data.protocolVersion);
      initializeId = undefined;
    }
    void local.send(message);
  };
  remote.onerror = (error: Error) => logError(error.message);
  local.onerror = (error: Error) => logError(`bad message on stdin: ${error.message}`);

  const stdinClosed = new Promise<void>((resolve) => {
    stdin.once('end', resolve);
    stdin.once('close', resolve);
  });
  await remote.start();
  await local.start();
  await stdinClosed;
  await remote.terminateSession().catch(() => {});
  await remote.close();
  await local.close();
}
