// Tool groups: a named subset of servers and tools with its own MCP endpoint.

/** A tool group as a config file holds it (MCPJungle's format). */
export interface GroupConfig {
  name: string;
  description?: string;
  included_servers?: string[];
  /** `server__tool` (or `server__prompt`) names. */
  included_tools?: string[];
  /** `server__tool` names left out even when their server is included. */
  excluded_tools?: string[];
}

export interface GroupView {
  name: string;
  description: string;
  includedServers: string[];
  includedTools: string[];
  excludedTools: string[];
  /** The group's MCP endpoint, e.g. http://127.0.0.1:7450/groups/NAME/mcp. */
  mcpUrl: string;
  createdAt: string;
  updatedAt: string;
}
