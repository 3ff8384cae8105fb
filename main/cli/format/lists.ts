// The tables of `canopy list servers|tools|prompts|resources`.
import type { PromptView, ResourceView, ServerView, ToolOverrideView, ToolView } from '../../core/api/contract.ts';
import { qualifiedName } from '../../core/config/names.ts';
import { formatTable } from './table.ts';
import { serverHealth, stateLabel } from './server-state.ts';
import { protocolEraLabel } from '../../core/api/protocol-era-label.ts';

const enabledLabel = (enabled: boolean) => (enabled ? 'enabled' : 'disabled');

export function serverTable(servers: ServerView[], width?: number, now = Date.now()): string[] {
  const lines = formatTable(
    [
      { header: 'NAME', value: (server) => server.name },
      { header: 'TRANSPORT', value: (server) => server.transport },
      { header: 'STATE', value: (server) => stateLabel(server, now) },
      { header: 'ERA', value: (server) => protocolEraLabel(server.protocolEra) ?? '-' },
      { header: 'TOOLS', value: (server) => String(server.toolCount) },
      { header: 'DESCRIPTION', value: (server) => server.description },
    ],
    servers,
    width,
  );
  const problems = servers
    .map((server) => ({ server, health: serverHealth(server, now) }))
    .filter(({ health }) => health.level === 'problem');
  if (problems.length > 0) {
    lines.push('', 'Needs attention:', ...problems.map(({ server, health }) => `  ${server.name}: ${health.text}`));
  }
  return lines;
}

/** Whether any item is listed under a name other than `server__originalName` (alias, override, short form). */
function anyRenamed(items: (ToolView | PromptView)[]): boolean {
  return items.some((item) => item.name !== qualifiedName(item.server, item.originalName));
}

/** The upstream's own name, shown beside the listed one when some names differ. */
function originalColumn<T extends ToolView | PromptView>(items: T[]) {
  return anyRenamed(items) ? [{ header: 'UPSTREAM NAME', value: (item: T) => `${item.server}: ${item.originalName}` }] : [];
}

export function toolTable(tools: ToolView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'NAME', value: (tool) => tool.name },
      ...originalColumn(tools),
      { header: 'STATUS', value: (tool) => enabledLabel(tool.enabled) },
      { header: 'DESCRIPTION', value: (tool) => tool.description ?? tool.title ?? '' },
    ],
    tools,
    width,
  );
}

/** Argument names, required ones marked with `*`. */
function promptArguments(prompt: PromptView): string {
  return (prompt.arguments ?? []).map((argument) => `${argument.name}${argument.required ? '*' : ''}`).join(', ');
}

export function promptTable(prompts: PromptView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'NAME', value: (prompt) => prompt.name },
      ...originalColumn(prompts),
      { header: 'STATUS', value: (prompt) => enabledLabel(prompt.enabled) },
      { header: 'ARGUMENTS', value: promptArguments },
      { header: 'DESCRIPTION', value: (prompt) => prompt.description ?? prompt.title ?? '' },
    ],
    prompts,
    width,
  );
}

/** One line: which tool, and what its override does. */
export function describeOverride(override: ToolOverrideView): string {
  const parts = [
    ...(override.name !== undefined ? [`listed as '${override.listedAs ?? override.name}'`] : []),
    ...(override.description !== undefined ? ['own description'] : []),
    ...(override.hidden ? ['hidden'] : []),
  ];
  return `tool '${override.tool}' of server '${override.server}': ${parts.length > 0 ? parts.join(', ') : 'as the server lists it'}`;
}

export function overrideTable(overrides: ToolOverrideView[], width?: number): string[] {
  const lines = formatTable(
    [
      { header: 'SERVER', value: (o) => o.server },
      { header: 'TOOL', value: (o) => o.tool },
      { header: 'LISTED AS', value: (o) => o.listedAs ?? '-' },
      { header: 'HIDDEN', value: (o) => (o.hidden ? 'yes' : 'no') },
      { header: 'DESCRIPTION', value: (o) => o.description ?? '' },
    ],
    overrides,
    width,
  );
  const problems = overrides.filter((o) => o.problem);
  if (problems.length > 0) lines.push('', 'Needs attention:', ...problems.map((o) => `  ${o.server}: ${o.problem}`));
  return lines;
}

export function resourceTable(resources: ResourceView[], width?: number): string[] {
  return formatTable(
    [
      { header: 'URI', value: (resource) => resource.uri },
      { header: 'NAME', value: (resource) => resource.title ?? resource.name },
      { header: 'TYPE', value: (resource) => (resource.template ? 'template' : (resource.mimeType ?? '')) },
      { header: 'DESCRIPTION', value: (resource) => resource.description ?? '' },
    ],
    resources,
    width,
  );
}
