// `npm run bench`, search view section: what `/mcp/search` saves and costs. Tokens (gpt-tokenizer,
// o200k_base) of tools/list through the aggregated endpoint vs the search view as the number of
// servers grows (5 → 50 tool-farm servers × 20 tools, one tool group per size); search_tools latency
// end to end over HTTP on 1,000 tools, and the ranker alone on 1,000 real tools (the captured
// catalogs of test/search, repeated under new server names) with the retrieval set's queries.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Tool } from '@modelcontextprotocol/server';
import type { AdminClient } from '../../main/core/api/client.ts';
import { SearchIndex, type SearchDocument } from '../../main/core/search/search-index.ts';
import { percentile, timed } from './measure.ts';

const SIZES = [5, 10, 25, 50];
const SEARCH_CALLS = 1_000;
const RANKER_ROUNDS = 20;
const searchSet = resolve(import.meta.dirname, '..', 'search');

export interface SearchBenchGateway {
  base: string;
  api: AdminClient;
  /** Opens an MCP client on `url` (closed by the caller). */
  connect(url: string): Promise<Client>;
  /** Names of the registered tool-farm servers (at least 50, 20 tools each). */
  farmServers: string[];
}

const tokensOf = (tools: unknown[]) => countTokens(JSON.stringify(tools));

/** 1,000 tools from the captured real catalogs, each catalog repeated under new server names. */
function realToolDocuments(count: number): SearchDocument[] {
  const catalogs = readdirSync(join(searchSet, 'catalogs'))
    .filter((file) => file.endsWith('.json'))
    .map((file) => JSON.parse(readFileSync(join(searchSet, 'catalogs', file), 'utf8')) as { server: string; tools: Tool[] });
  const documents: SearchDocument[] = [];
  for (let copy = 0; documents.length < count; copy += 1) {
    for (const catalog of catalogs) {
      const server = copy === 0 ? catalog.server : `${catalog.server}-${copy}`;
      for (const tool of catalog.tools) documents.push({ name: `${server}__${tool.name}`, tool: { ...tool, name: `${server}__${tool.name}` }, server });
    }
  }
  return documents.slice(0, count);
}

export async function benchSearchView(gateway: SearchBenchGateway): Promise<void> {
  const { base, api, connect, farmServers } = gateway;
  console.log('\nSearch view: tokens of tools/list (o200k_base), tool-farm servers × 20 tools');
  console.log('servers   tools   /groups/G/mcp   /groups/G/mcp/search   search_tools answer (limit 8)');
  const rows: { servers: number; full: number; search: number }[] = [];
  for (const size of SIZES) {
    const group = `farm-${size}`;
    await api.createGroup({ name: group, included_servers: farmServers.slice(0, size) });
    const full = await connect(`${base}/groups/${group}/mcp`);
    const search = await connect(`${base}/groups/${group}/mcp/search`);
    const fullTools = (await full.listTools()).tools;
    const searchTools = (await search.listTools()).tools;
    const answer = await search.callTool({ name: 'search_tools', arguments: { query: 'tool 7 of farm server 3 returns its input' } });
    const row = { servers: size, full: tokensOf(fullTools), search: tokensOf(searchTools) };
    rows.push(row);
    console.log(
      `${String(size).padStart(7)}   ${String(fullTools.length).padStart(5)}   ${String(row.full).padStart(13)}   ${String(row.search).padStart(20)}   ${String(countTokens(JSON.stringify(answer.content))).padStart(10)}`,
    );
    await Promise.all([full.close(), search.close()]);
  }
  const all = await connect(`${base}/mcp`);
  const allSearch = await connect(`${base}/mcp/search`);
  const allTools = (await all.listTools()).tools;
  console.log(
    `  /mcp (${allTools.length} tools): ${tokensOf(allTools)} tokens; /mcp/search: ${tokensOf((await allSearch.listTools()).tools)} tokens ` +
      `(${rows[0].search === rows.at(-1)!.search ? 'flat' : 'NOT flat'} from ${SIZES[0]} to ${SIZES.at(-1)} servers)`,
  );
  await all.close();

  // search_tools end to end: one session, HTTP + JSON-RPC + ranking, over every tool of /mcp.
  const queries = (JSON.parse(readFileSync(join(searchSet, 'queries.json'), 'utf8')) as { query: string }[]).map((q) => q.query);
  for (let i = 0; i < 100; i += 1) await allSearch.callTool({ name: 'search_tools', arguments: { query: queries[i % queries.length] } });
  let call = 0;
  const samples = await timed(SEARCH_CALLS, () => allSearch.callTool({ name: 'search_tools', arguments: { query: queries[call++ % queries.length] } }));
  await allSearch.close();
  console.log(`  search_tools over HTTP on ${allTools.length} tools: p50 ${percentile(samples, 50).toFixed(3)} ms   p95 ${percentile(samples, 95).toFixed(3)} ms`);

  // The ranker alone, on 1,000 tools with real names and descriptions.
  const documents = realToolDocuments(1_000);
  const buildStart = performance.now();
  const index = new SearchIndex(documents);
  const buildMs = performance.now() - buildStart;
  const ranks: number[] = [];
  for (let round = 0; round < RANKER_ROUNDS; round += 1) {
    for (const query of queries) {
      const start = performance.now();
      index.search(query, 8);
      ranks.push(performance.now() - start);
    }
  }
  ranks.sort((a, b) => a - b);
  console.log(
    `  ranker on ${index.size} real tools: index built in ${buildMs.toFixed(1)} ms (once per catalog change); ` +
      `search p50 ${percentile(ranks, 50).toFixed(3)} ms   p95 ${percentile(ranks, 95).toFixed(3)} ms (target p50 <= 5 ms)`,
  );
}
