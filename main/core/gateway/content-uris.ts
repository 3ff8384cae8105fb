// Results may point at resources: resource links and embedded resources in tool results and prompt
// messages, and the contents of a resource read. On an aggregated endpoint those URIs must be the
// gateway's, so a client can read them back through Canopy. One mapping for every kind of result.

type Expose = (uri: string) => string;
type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose => typeof value === 'object' && value !== null;

function exposeBlock(block: unknown, expose: Expose): unknown {
  if (!isObject(block)) return block;
  if (block.type === 'resource_link' && typeof block.uri === 'string') return { ...block, uri: expose(block.uri) };
  if (block.type === 'resource' && isObject(block.resource) && typeof block.resource.uri === 'string') {
    return { ...block, resource: { ...block.resource, uri: expose(block.resource.uri) } };
  }
  return block;
}

const exposeBlocks = (blocks: unknown, expose: Expose): unknown =>
  Array.isArray(blocks) ? blocks.map((block) => exposeBlock(block, expose)) : exposeBlock(blocks, expose);

/** A tool, prompt or resource-read result with every resource URI in it mapped by `expose`. */
export function exposeResultUris<R extends object>(result: R, expose: Expose): R {
  const mapped: Loose = { ...(result as Loose) };
  if (Array.isArray(mapped.content)) mapped.content = exposeBlocks(mapped.content, expose);
  if (Array.isArray(mapped.messages)) {
    mapped.messages = mapped.messages.map((message) =>
      isObject(message) ? { ...message, content: exposeBlocks(message.content, expose) } : message,
    );
  }
  if (Array.isArray(mapped.contents)) {
    mapped.contents = mapped.contents.map((content) =>
      isObject(content) && typeof content.uri === 'string' ? { ...content, uri: expose(content.uri) } : content,
    );
  }
  return mapped as R;
}
