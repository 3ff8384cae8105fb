// Fetching what an upstream offers: each list only when its capability is advertised, every page
// followed through `nextCursor`. Pages are plain `*/list` requests: the SDK's list verbs would
// aggregate (and, on a 2026-07-28 connection, serve from their response cache) on their own.
import { ProtocolError, ProtocolErrorCode, type Client, type RequestOptions, type ResourceTemplateType } from '@modelcontextprotocol/client';
import type { CatalogPart, UpstreamCatalog } from './types.ts';

const MAX_PAGES = 1_000;

export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Follows `nextCursor` until it is absent, repeats (a looping server), or `maxPages` is reached. */
export async function collectPages<T>(fetchPage: (cursor: string | undefined) => Promise<Page<T>>, maxPages = MAX_PAGES): Promise<T[]> {
  const items: T[] = [];
  const seen = new Set<string>();
  let cursor: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const result = await fetchPage(cursor);
    items.push(...result.items);
    cursor = result.nextCursor;
    if (!cursor || seen.has(cursor)) break;
    seen.add(cursor);
  }
  return items;
}

export type CatalogLists = Pick<UpstreamCatalog, 'tools' | 'prompts' | 'resources' | 'resourceTemplates'>;

/** Fetches one part of the catalog ('resources' covers resources and resource templates). */
export async function fetchCatalogPart(client: Client, part: CatalogPart, options?: RequestOptions): Promise<Partial<CatalogLists>> {
  const capabilities = client.getServerCapabilities() ?? {};
  switch (part) {
    case 'tools': {
      if (!capabilities.tools) return { tools: [] };
      const tools = await collectPages(async (cursor) => {
        const { tools, nextCursor } = await client.request({ method: 'tools/list', params: { cursor } }, options);
        return { items: tools, nextCursor };
      });
      return { tools };
    }
    case 'prompts': {
      if (!capabilities.prompts) return { prompts: [] };
      const prompts = await collectPages(async (cursor) => {
        const { prompts, nextCursor } = await client.request({ method: 'prompts/list', params: { cursor } }, options);
        return { items: prompts, nextCursor };
      });
      return { prompts };
    }
    case 'resources': {
      if (!capabilities.resources) return { resources: [], resourceTemplates: [] };
      const [resources, resourceTemplates] = await Promise.all([
        collectPages(async (cursor) => {
          const { resources, nextCursor } = await client.request({ method: 'resources/list', params: { cursor } }, options);
          return { items: resources, nextCursor };
        }),
        collectPages(async (cursor) => {
          const { resourceTemplates, nextCursor } = await client.request({ method: 'resources/templates/list', params: { cursor } }, options);
          return { items: resourceTemplates, nextCursor };
        }).catch(noTemplatesWhenUnsupported),
      ]);
      return { resources, resourceTemplates };
    }
  }
}

/** A server with resources but no templates may not implement resources/templates/list at all. */
function noTemplatesWhenUnsupported(error: unknown): ResourceTemplateType[] {
  if (error instanceof ProtocolError && error.code === ProtocolErrorCode.MethodNotFound) return [];
  throw error;
}
