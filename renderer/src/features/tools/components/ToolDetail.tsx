import type { ToolView } from '@core/api/contract.ts';
import { JsonView } from '../../../components/JsonView.tsx';
import { TryTool } from './TryTool.tsx';

export function ToolDetail({ tool }: { tool: ToolView }) {
  return (
    <article className="card detail" aria-label={`Tool ${tool.name}`}>
      <header className="detail-header">
        <h2>
          <code>{tool.name}</code>
        </h2>
        {!tool.enabled && <span className="badge badge-off">disabled</span>}
      </header>
      {tool.title && <p>{tool.title}</p>}
      {tool.description && <p className="description">{tool.description}</p>}
      <details>
        <summary>Input schema</summary>
        <JsonView value={tool.inputSchema} label={`${tool.name} input schema`} />
      </details>
      {tool.outputSchema && (
        <details>
          <summary>Output schema</summary>
          <JsonView value={tool.outputSchema} label={`${tool.name} output schema`} />
        </details>
      )}
      <TryTool tool={tool} />
    </article>
  );
}
