// Tool results may point at resources (resource links, embedded resources). On the aggregated
// endpoint those URIs must be the gateway's, so a client can read them back through Canopy.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';

export function mapContentUris(result: CallToolResult, expose: (uri: string) => string): CallToolResult {
  if (!Array.isArray(result.content)) return result;
  let changed = false;
  const content = result.content.map((item) => {
    if (item.type === 'resource_link') {
      changed = true;
      return { ...item, uri: expose(item.uri) };
    }
    if (item.type === 'resource') {
      changed = true;
      return { ...item, resource: { ...item.resource, uri: expose(item.resource.uri) } };
    }
    return item;
  });
  return changed ? { ...result, content } : result;
}
