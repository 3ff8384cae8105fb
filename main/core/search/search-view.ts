// The search view (`/mcp/search`, `/groups/{name}/mcp/search`): instead of every tool, a session
// lists `search_tools` and `call_tool`, plus the tools it has found so far (a bounded, per-session
// list, so a client that follows list_changed can call them by name). Prompts and resources are
// listed as on `/mcp`: they are chosen by the user or the app, not put in the model's context.
import type { CallToolResult, Tool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.ts';
import { parseOrThrow } from '../config/server-config.ts';
import { SearchIndex, type SearchHit } from './search-index.ts';
import type { UpstreamConnection } from '../upstream/types.ts';

export const SEARCH_TOOLS = 'search_tools';
export const CALL_TOOL = 'call_tool';
const DEFAULT_LIMIT = 8;
const MAX_LIMIT = 50;
/** Found tools a session lists besides the two of the view: the most recently found ones. */
export const FOUND_TOOLS_LISTED = 32;

export const SEARCH_VIEW_INSTRUCTIONS =
  'This endpoint lists two tools instead of every tool of every server. Call search_tools with what you want to do ' +
  '(for example "create a GitHub issue") to find tools with their input schemas, then call one with ' +
  'call_tool({name, arguments}), or by its name once your tool list has refreshed. Prompts and resources are listed as usual.';

const SEARCH_TOOLS_TOOL: Tool = {
  name: SEARCH_TOOLS,
  title: 'Search tools',
  description:
    'Finds the tools of every server you can use that best match a natural-language query. Returns each match\'s callable name, ' +
    'description and input schema; call it with call_tool. Found tools are also added to this session\'s tool list.',
  inputSchema: {
    type: 'object',
    properties: {
      query: { type: 'string', description: 'What you want to do, in a few words (e.g. "list open pull requests").' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT, description: `How many matches to return (default ${DEFAULT_LIMIT}).` },
    },
    required: ['query'],
  },
  outputSchema: {
    type: 'object',
    properties: {
      tools: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            title: { type: 'string' },
            description: { type: 'string' },
            server: { type: 'string' },
            inputSchema: { type: 'object' },
          },
          required: ['name', 'server', 'inputSchema'],
        },
      },
    },
    required: ['tools'],
  },
  annotations: { readOnlyHint: true, openWorldHint: false },
};

const CALL_TOOL_TOOL: Tool = {
  name: CALL_TOOL,
  title: 'Call a tool',
  description: 'Calls a tool found with search_tools by its name, with its arguments (an object matching the tool\'s input schema).',
  inputSchema: {
    type: 'object',
    properties: {
      name: { type: 'string', description: 'The tool\'s name as search_tools returned it.' },
      arguments: { type: 'object', description: 'The tool\'s arguments.', additionalProperties: true },
    },
    required: ['name'],
  },
};

/** The view's own tools, listed first on every search-view session. */
const SEARCH_VIEW_TOOLS: readonly Tool[] = [SEARCH_TOOLS_TOOL, CALL_TOOL_TOOL];

const SearchArguments = z.object({
  query: z.string().trim().min(1, 'query must say what you are looking for'),
  // Some clients send every argument as a string ("5"); a number in a string is taken as that number.
  limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT),
});
const CallArguments = z.object({
  name: z.string().min(1, 'name must be a tool name that search_tools returned'),
  arguments: z.record(z.string(), z.unknown()).optional(),
});

/** A tool error the model can read and correct (a bad argument is not a protocol error). */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: 'text', text: message }], isError: true };
}

/** The tool's arguments, or what is wrong with them (said to the model as a tool error, not thrown). */
function parsedArguments<T extends z.ZodType>(schema: T, args: unknown, tool: string): z.output<T> | string {
  try {
    return parseOrThrow(schema, args ?? {}, `${tool} arguments`);
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
}

export function parseSearchArguments(args: unknown): z.infer<typeof SearchArguments> | string {
  return parsedArguments(SearchArguments, args, 'search_tools');
}

export function parseCallArguments(args: unknown): z.infer<typeof CallArguments> | string {
  return parsedArguments(CallArguments, args, 'call_tool');
}

/** search_tools' answer: the matches as structured content, and the same JSON as text for clients that read only text. */
export function searchResult(query: string, hits: SearchHit[]): CallToolResult {
  const tools = hits.map(({ document: { tool, server } }) => ({
    name: tool.name,
    ...(tool.title !== undefined ? { title: tool.title } : {}),
    ...(tool.description !== undefined ? { description: tool.description } : {}),
    server,
    inputSchema: tool.inputSchema,
  }));
  const text =
    tools.length > 0
      ? JSON.stringify({ tools })
      : `No tool matches "${query}". Try other words: what to act on (issue, file, page, message) and what to do (create, list, search).`;
  return { content: [{ type: 'text', text }], structuredContent: { tools } };
}

/** What the ranker needs of a catalog view; CatalogView has it. */
export interface SearchableView {
  readonly tools: Tool[];
  resolveTool(name: string): { server: string; name: string } | undefined;
}

/** A view's index, built on first search; a catalog change makes a new view and so a new index. */
const indexes = new WeakMap<SearchableView, SearchIndex>();
/** A view's tools by name, for listing found tools without building the index (lists change more often than people search). */
const byName = new WeakMap<SearchableView, Map<string, Tool>>();

function toolsByName(view: SearchableView): Map<string, Tool> {
  let tools = byName.get(view);
  if (!tools) byName.set(view, (tools = new Map(view.tools.map((tool) => [tool.name, tool]))));
  return tools;
}

export function searchIndexOf(view: SearchableView, connection: (server: string) => UpstreamConnection | undefined): SearchIndex {
  let index = indexes.get(view);
  if (!index) {
    index = new SearchIndex(
      view.tools.flatMap((tool) => {
        const ref = view.resolveTool(tool.name);
        return ref ? [{ name: tool.name, tool, server: ref.server, upstreamName: ref.name, serverDescription: describeServer(connection(ref.server)) }] : [];
      }),
    );
    indexes.set(view, index);
  }
  return index;
}

/** What a server is for: its registered description, and its own title and description. */
function describeServer(connection: UpstreamConnection | undefined): string {
  const info = connection?.catalog?.serverInfo as { title?: string; description?: string } | undefined;
  return [connection?.config.description, info?.title, info?.description].filter(Boolean).join(' ');
}

/** The tools one session has found, most recently found last; at most FOUND_TOOLS_LISTED. */
export class FoundTools {
  private readonly found = new Map<string, true>();

  /** Remembers the names (best match last, so it is the last to be dropped). */
  remember(names: readonly string[]): void {
    for (const name of [...names].reverse()) {
      this.found.delete(name);
      this.found.set(name, true);
    }
    for (const name of this.found.keys()) {
      if (this.found.size <= FOUND_TOOLS_LISTED) break;
      this.found.delete(name);
    }
  }

  /** The view's tools then the found tools still on the view, by name (a stable order: re-finding changes nothing). */
  listed(view: SearchableView): Tool[] {
    const tools = toolsByName(view);
    const found = [...this.found.keys()].sort().flatMap((name) => tools.get(name) ?? []);
    return [...SEARCH_VIEW_TOOLS, ...found];
  }
}
