// Captures an MCP server's tools/list as a retrieval-set fixture (test/search/catalogs/*.json):
//   node bin/run-ts.mjs test/search/capture-catalog.ts OUT.json SERVER PACKAGE@VERSION [KEY=VALUE...] -- COMMAND ARGS...
// SERVER is the name the server gets in the set (its tools are SERVER__tool); KEY=VALUE pairs are
// environment for the server (placeholder credentials: only tools/list is asked, nothing is called).
import { writeFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const separator = process.argv.indexOf('--');
const [out, server, pkg, ...envPairs] = process.argv.slice(2, separator);
const [command, ...args] = process.argv.slice(separator + 1);
if (separator < 0 || !out || !server || !pkg || !command) {
  console.error('usage: capture-catalog.ts OUT.json SERVER PACKAGE@VERSION [KEY=VALUE...] -- COMMAND ARGS...');
  process.exit(2);
}
const env = Object.fromEntries(envPairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));

const client = new Client({ name: 'canopy-catalog-capture', version: '1' });
await client.connect(new StdioClientTransport({ command, args, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, stderr: 'ignore' }));
const tools = [];
let cursor: string | undefined;
do {
  const page = await client.listTools(cursor ? { cursor } : {});
  tools.push(...page.tools);
  cursor = page.nextCursor;
} while (cursor);
const info = client.getServerVersion();
await client.close();
const catalog = { server, package: pkg, serverInfo: info, instructions: client.getInstructions(), tools };
writeFileSync(out, `${JSON.stringify(catalog, null, 2)}\n`);
console.error(`${out}: ${tools.length} tools from ${pkg}`);
