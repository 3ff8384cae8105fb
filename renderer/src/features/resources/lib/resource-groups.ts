// Resources grouped by server, plain resources before templates, for the Resources page.
import type { ResourceView } from '@core/api/contract.ts';

export interface ServerResources {
  server: string;
  resources: ResourceView[];
  templates: ResourceView[];
}

export function byServer(items: ResourceView[]): ServerResources[] {
  const groups = new Map<string, ServerResources>();
  for (const item of items) {
    let group = groups.get(item.server);
    if (!group) groups.set(item.server, (group = { server: item.server, resources: [], templates: [] }));
    (item.template ? group.templates : group.resources).push(item);
  }
  return [...groups.values()].sort((a, b) => a.server.localeCompare(b.server));
}

/** Matches a resource whose name, title, URI or description contains every word of `query`. */
export function matchesQuery(item: ResourceView, query: string): boolean {
  const text = `${item.name} ${item.title ?? ''} ${item.uri} ${item.description ?? ''}`.toLowerCase();
  return query.toLowerCase().split(/\s+/).filter(Boolean).every((word) => text.includes(word));
}
