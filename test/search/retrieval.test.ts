// Retrieval quality of the search view's ranker on a labeled set: natural-language queries over
// the tool catalogs of real npm MCP servers (test/search/catalogs, captured with capture-catalog.ts).
// A query counts as found at k when one of its expected tools is among the first k results. The last
// 20 queries were written after the ranker's weights and synonyms were set, as a check on overfitting
// (alone they score recall@1 0.55, recall@5 0.80; the first 92 score 0.70 and 0.92).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Tool } from '@modelcontextprotocol/server';
import { SearchIndex, type SearchDocument } from '../../main/core/search/search-index.ts';

interface CapturedCatalog {
  server: string;
  package: string;
  serverInfo?: { name?: string; title?: string; description?: string };
  tools: Tool[];
}

const here = import.meta.dirname;
const catalogs: CapturedCatalog[] = readdirSync(join(here, 'catalogs'))
  .filter((file) => file.endsWith('.json'))
  .map((file) => JSON.parse(readFileSync(join(here, 'catalogs', file), 'utf8')) as CapturedCatalog);
const queries = JSON.parse(readFileSync(join(here, 'queries.json'), 'utf8')) as { query: string; expected: string[] }[];

const documents: SearchDocument[] = catalogs.flatMap((catalog) =>
  catalog.tools.map((tool) => ({
    name: `${catalog.server}__${tool.name}`,
    tool: { ...tool, name: `${catalog.server}__${tool.name}` },
    server: catalog.server,
    serverDescription: [catalog.serverInfo?.title, catalog.serverInfo?.description].filter(Boolean).join(' '),
  })),
);

describe('search_tools retrieval set', () => {
  const index = new SearchIndex(documents);

  it('labels only tools that exist, over at least 60 queries and 10 servers', () => {
    expect(queries.length).toBeGreaterThanOrEqual(60);
    expect(catalogs.length).toBeGreaterThanOrEqual(10);
    const unknown = queries.flatMap((q) => q.expected).filter((name) => !index.get(name));
    expect(unknown).toEqual([]);
  });

  it('finds the expected tool in the top 5 for at least 90% of queries', () => {
    let atOne = 0;
    let atFive = 0;
    const misses: string[] = [];
    for (const { query, expected } of queries) {
      const ranked = index.search(query, 5).map((hit) => hit.document.name);
      if (expected.includes(ranked[0])) atOne += 1;
      if (ranked.some((name) => expected.includes(name))) atFive += 1;
      else misses.push(`  "${query}" → expected ${expected.join(' | ')}, got ${ranked.join(', ') || 'nothing'}`);
    }
    const recallAt1 = atOne / queries.length;
    const recallAt5 = atFive / queries.length;
    console.log(
      `search_tools retrieval over ${documents.length} tools of ${catalogs.length} servers, ${queries.length} queries: ` +
        `recall@1 ${recallAt1.toFixed(3)}, recall@5 ${recallAt5.toFixed(3)}` +
        (misses.length > 0 ? `\nnot in the top 5:\n${misses.join('\n')}` : ''),
    );
    expect(recallAt5).toBeGreaterThanOrEqual(0.9);
  });
});
