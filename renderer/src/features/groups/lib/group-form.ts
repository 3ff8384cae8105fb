// The group editor's fields ↔ the admin API's group body. Tool lists are edited as text, one
// `server__tool` name per line (commas work too).
import type { GroupConfig, GroupView } from '@core/api/contract.ts';

export interface GroupFormValues {
  name: string;
  description: string;
  includedServers: string[];
  includedTools: string;
  excludedTools: string;
}

export const emptyGroup: GroupFormValues = { name: '', description: '', includedServers: [], includedTools: '', excludedTools: '' };

export function formOf(group: GroupView): GroupFormValues {
  return {
    name: group.name,
    description: group.description,
    includedServers: group.includedServers,
    includedTools: group.includedTools.join('\n'),
    excludedTools: group.excludedTools.join('\n'),
  };
}

function namesIn(text: string): string[] {
  return [...new Set(text.split(/[\s,]+/).filter(Boolean))];
}

export function configOf(values: GroupFormValues): GroupConfig {
  return {
    name: values.name.trim(),
    description: values.description.trim(),
    included_servers: values.includedServers,
    included_tools: namesIn(values.includedTools),
    excluded_tools: namesIn(values.excludedTools),
  };
}
