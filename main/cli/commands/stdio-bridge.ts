// `canopy stdio-bridge`: for apps that only launch stdio MCP servers (Claude Desktop). Relays raw
// JSON-RPC between stdin/stdout and the gateway's streamable-HTTP endpoint, both ways: requests,
// responses, notifications, and the gateway's own requests (sampling, elicitation, roots).
import type { Readable, Writable } from 'node:stream';
import type { Command } from 'commander';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { InitializeResultSchema } from '@modelcontextprotocol/core';
import { isInitializeRequest, isJSONRPCRequest, isJSONRPCResultResponse, type JSONRPCMessage, type RequestId } from '@modelcontextprotocol/server';
import { StdioServerTransport } from '@modelcontextprotocol/server/stdio';
import type { CliContext } from '../context.ts';
import { CliError } from '../errors.ts';

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
async function runStdioBridge(options: StdioBridgeOptions): Promise<void> {
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

/** The bridge needs only these from the CLI context (the desktop app's bundled bridge passes its own). */
export type StdioBridgeContext = Pick<CliContext, 'registryUrl' | 'env'>;

export function registerStdioBridgeCommand(program: Command, context: StdioBridgeContext): Command {
  return program
    .command('stdio-bridge')
    .summary('relay MCP between stdio and the gateway')
    .description(
      "Relay MCP over stdin/stdout to Canopy's streamable-HTTP endpoint, for apps that only launch stdio servers\n" +
        '(`canopy setup claude-desktop` configures it). Ends when stdin closes; errors go to stderr.',
    )
    .option('--url <url>', "the gateway's MCP endpoint (default: the registry URL + /mcp)")
    .option('--token <token>', 'bearer token, when the gateway needs one (default: $CANOPY_TOKEN)')
    .action(async (opts: { url?: string; token?: string }) => {
      const url = opts.url ?? `${context.registryUrl()}/mcp`;
      if (!URL.canParse(url)) throw new CliError(`--url: "${url}" is not a URL (e.g. http://127.0.0.1:7450/mcp)`, 2);
      await runStdioBridge({ url, token: opts.token ?? (context.env.CANOPY_TOKEN || undefined) });
    });
}
