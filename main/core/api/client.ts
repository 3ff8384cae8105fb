// Typed HTTP client of the admin API. Uses only `fetch`, so the CLI (Node) and the renderer
// (browser) share it.
import {
  API_PREFIX,
  type AuthorizeResult,
  type ErrorBody,
  type ErrorCode,
  type ExportView,
  type InvokeToolResult,
  type LogsView,
  type PromptView,
  type RegisterServerBody,
  type RegisterServerResult,
  type ResourceView,
  type ServerView,
  type StatusView,
  type ToolView,
} from './contract.ts';

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode | 'network',
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface AdminClientOptions {
  /** e.g. http://127.0.0.1:7450; '' for same-origin requests from the web UI. */
  baseUrl: string;
  token?: string;
  fetch?: typeof fetch;
}

export class AdminClient {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: AdminClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? ((input, init) => fetch(input, init));
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${API_PREFIX}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code;
      throw new ApiError(
        'network',
        `cannot reach Canopy at ${this.baseUrl || 'this page'}${cause ? ` (${cause})` : ''}: is it running? Start it with \`canopy serve\` or open the Canopy app`,
        0,
      );
    }
    const text = await response.text();
    const parsed = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (parsed as ErrorBody | undefined)?.error;
      throw new ApiError(error?.code ?? 'internal', error?.message ?? `HTTP ${response.status}`, response.status);
    }
    return parsed as T;
  }

  status = () => this.call<StatusView>('GET', '/status');

  listServers = () => this.call<ServerView[]>('GET', '/servers');
  getServer = (name: string) => this.call<ServerView>('GET', `/servers/${encodeURIComponent(name)}`);
  registerServer = (body: RegisterServerBody) => this.call<RegisterServerResult>('POST', '/servers', body);
  deregisterServer = (name: string) => this.call<void>('DELETE', `/servers/${encodeURIComponent(name)}`);
  setServerEnabled = (name: string, enabled: boolean) =>
    this.call<ServerView>('POST', `/servers/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`);
  restartServer = (name: string) => this.call<ServerView>('POST', `/servers/${encodeURIComponent(name)}/restart`);
  serverLogs = (name: string) => this.call<LogsView>('GET', `/servers/${encodeURIComponent(name)}/logs`);
  authorizeServer = (name: string) => this.call<AuthorizeResult>('POST', `/servers/${encodeURIComponent(name)}/authorize`);

  listTools = (server?: string) => this.call<ToolView[]>('GET', `/tools${server ? `?server=${encodeURIComponent(server)}` : ''}`);
  getTool = (name: string) => this.call<ToolView>('GET', `/tools/${encodeURIComponent(name)}`);
  setToolEnabled = (name: string, enabled: boolean) =>
    this.call<ToolView>('POST', `/tools/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`);
  invokeTool = (name: string, input: Record<string, unknown>) =>
    this.call<InvokeToolResult>('POST', `/tools/${encodeURIComponent(name)}/invoke`, { input });

  listPrompts = (server?: string) => this.call<PromptView[]>('GET', `/prompts${server ? `?server=${encodeURIComponent(server)}` : ''}`);
  setPromptEnabled = (name: string, enabled: boolean) =>
    this.call<PromptView>('POST', `/prompts/${encodeURIComponent(name)}/${enabled ? 'enable' : 'disable'}`);

  listResources = (server?: string) =>
    this.call<ResourceView[]>('GET', `/resources${server ? `?server=${encodeURIComponent(server)}` : ''}`);

  exportServers = () => this.call<ExportView>('GET', '/export');
}
