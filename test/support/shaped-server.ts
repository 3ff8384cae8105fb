// Small stdio MCP servers (SDK v1 McpServer) of the capability shapes npm servers lack.
//   prompts:   tools + prompts, no completions; long and dotted tool names; a prompt embedding a
//              resource; a prompt failing with its own JSON-RPC code, message and data
//   resources: tools + resources (a resource and a template) only; a tool that crashes the process
//              mid-call; starts SLOW_START_MS late when that is set
//   names:     tool names MCP clients refuse (dotted, spaces, unicode, too long) and two whose
//              short forms would clash with a compliant one; `add-tool` adds `added-N` and
//              `drop-tool` removes `ephemeral` (both send tools/list_changed); a dotted prompt
//   slow:      one tool, `wait`, reporting progress every 100 ms; says "cancelled wait after N
//              steps" on stderr when the client cancels it
// Run: node bin/run-ts.mjs test/support/shaped-server.ts prompts|resources
import { join } from 'node:path';
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { z } from 'zod';

export type Shape = 'prompts' | 'resources' | 'slow' | 'names';

/** A tool name longer than the 64 characters Canopy lists, so it gets a short form on /mcp. */
const LONG_TOOL_NAME = `summarize_the_quarterly_financial_report_for_the_board_of_directors_${'x'.repeat(8)}`;
const DOTTED_TOOL_NAME = 'notes.search.v2';
/** Tools of the `names` shape; each answers `called <its own name>`. */
export const ODD_TOOL_NAMES = ['files.read', 'files read', 'files_read', 'café', 'a'.repeat(70)] as const;
export const DOTTED_PROMPT_NAME = 'notes.summary';

/** The error the `fails` prompt answers with. */
export const PROMPT_ERROR = { code: -32077, message: 'the notebook is locked', data: { retryAfter: 30 } };
const EMBEDDED_URI = 'note://embedded/1';

/** Config (MCPJungle format) that runs this file as a stdio server of `shape`. */
export function shapedStdioConfig(name: string, shape: Shape, env: Record<string, string> = {}) {
  const root = join(import.meta.dirname, '..', '..');
  return {
    name,
    transport: 'stdio' as const,
    command: process.execPath,
    args: [join(root, 'bin', 'run-ts.mjs'), join(root, 'test', 'support', 'shaped-server.ts'), shape],
    ...(Object.keys(env).length > 0 ? { env } : {}),
  };
}

function echo(server: McpServer): void {
  server.registerTool('echo', { description: 'Returns its text', inputSchema: { text: z.string() } }, async ({ text }) => ({
    content: [{ type: 'text', text }],
  }));
}

function promptsServer(): McpServer {
  const server = new McpServer({ name: 'shaped-prompts', title: 'Shaped: prompts', version: '1.2.3' }, { instructions: 'Notes live here.' });
  echo(server);
  server.registerTool(DOTTED_TOOL_NAME, { description: 'A dotted name' }, async () => ({ content: [{ type: 'text', text: 'dotted ok' }] }));
  server.registerTool(LONG_TOOL_NAME, { description: 'A long name' }, async () => ({ content: [{ type: 'text', text: 'long ok' }] }));
  server.registerPrompt(
    'greeting',
    { description: 'Greets someone', argsSchema: { name: z.string() } },
    ({ name }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `Hello, ${name}!` } }] }),
  );
  server.registerPrompt('embedded', { description: 'Embeds a resource' }, () => ({
    messages: [{ role: 'user', content: { type: 'resource', resource: { uri: EMBEDDED_URI, mimeType: 'text/plain', text: 'embedded note' } } }],
  }));
  server.registerPrompt('fails', { description: 'Always fails' }, () => {
    // Not an McpError, whose message would carry the SDK's "MCP error <code>: " on the wire.
    throw Object.assign(new Error(PROMPT_ERROR.message), { code: PROMPT_ERROR.code, data: PROMPT_ERROR.data });
  });
  return server;
}

function resourcesServer(): McpServer {
  const server = new McpServer({ name: 'shaped-resources', version: '1.0.0' });
  echo(server);
  server.registerTool('crash', { description: 'Exits the process mid-call' }, async () => {
    setTimeout(() => process.exit(3), 50);
    return new Promise(() => {});
  });
  server.registerResource('README', 'note://readme', { title: 'Read me', mimeType: 'text/plain' }, async (uri) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: 'the readme' }],
  }));
  server.registerResource('page', new ResourceTemplate('note://pages/{page}', { list: undefined }), { title: 'A page' }, async (uri, { page }) => ({
    contents: [{ uri: uri.href, mimeType: 'text/plain', text: `page ${String(page)}` }],
  }));
  return server;
}

function slowServer(): McpServer {
  const server = new McpServer({ name: 'shaped-slow', version: '1.0.0' });
  server.registerTool('wait', { description: 'Takes `steps` tenths of a second, reporting progress', inputSchema: { steps: z.number().int().min(1).max(600) } }, async ({ steps }, extra) => {
    for (let step = 1; step <= steps; step++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      if (extra.signal.aborted) {
        process.stderr.write(`cancelled wait after ${step} steps\n`);
        return { content: [{ type: 'text', text: 'cancelled' }] };
      }
      const token = extra._meta?.progressToken;
      if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: step, total: steps, message: `step ${step}` } });
    }
    return { content: [{ type: 'text', text: `waited ${steps} steps` }] };
  });
  return server;
}

function namesServer(): McpServer {
  const server = new McpServer({ name: 'shaped-names', version: '1.0.0' }, { capabilities: { tools: { listChanged: true } } });
  const register = (name: string) =>
    server.registerTool(name, { description: `The tool ${name}` }, async () => ({ content: [{ type: 'text', text: `called ${name}` }] }));
  for (const name of ODD_TOOL_NAMES) register(name);
  const ephemeral = register('ephemeral');
  let added = 0;
  server.registerTool('add-tool', { description: 'Adds a tool named added-N' }, async () => {
    const name = `added-${++added}`;
    register(name);
    return { content: [{ type: 'text', text: name }] };
  });
  server.registerTool('drop-tool', { description: 'Removes the tool ephemeral' }, async () => {
    ephemeral.remove();
    return { content: [{ type: 'text', text: 'dropped' }] };
  });
  server.registerPrompt(DOTTED_PROMPT_NAME, { description: 'A dotted prompt' }, () => ({
    messages: [{ role: 'user', content: { type: 'text', text: 'summary' } }],
  }));
  return server;
}

const servers: Record<Shape, () => McpServer> = { prompts: promptsServer, resources: resourcesServer, slow: slowServer, names: namesServer };
const shape = process.argv[2] as Shape | undefined;
if (shape && shape in servers) {
  const slow = Number(process.env.SLOW_START_MS ?? 0);
  if (slow > 0) await new Promise((resolve) => setTimeout(resolve, slow));
  await servers[shape]().connect(new StdioServerTransport());
}
