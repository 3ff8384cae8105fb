// A tool call's result: text, images, audio, resources, structured content; isError shown as such.
import type { InvokeToolResult } from '@core/api/contract.ts';
import { JsonView } from '../../../components/JsonView.tsx';

type ContentItem = InvokeToolResult['content'][number];

function ContentView({ item }: { item: ContentItem }) {
  switch (item.type) {
    case 'text':
      return <pre className="code result-text">{item.text}</pre>;
    case 'image':
      return <img className="result-image" alt="Image returned by the tool" src={`data:${item.mimeType};base64,${item.data}`} />;
    case 'audio':
      return <audio controls aria-label="Audio returned by the tool" src={`data:${item.mimeType};base64,${item.data}`} />;
    case 'resource_link':
      return (
        <p>
          Resource link: <code>{item.uri}</code> {item.name && <span className="muted">({item.name})</span>}
        </p>
      );
    case 'resource':
      return 'text' in item.resource ? (
        <div>
          <p className="muted small">
            Resource <code>{item.resource.uri}</code>
          </p>
          <pre className="code result-text">{item.resource.text}</pre>
        </div>
      ) : (
        <p>
          Binary resource <code>{item.resource.uri}</code> ({item.resource.mimeType ?? 'unknown type'})
        </p>
      );
    default:
      return <JsonView value={item} label="Unrecognized content" />;
  }
}

export function ToolResult({ result }: { result: InvokeToolResult }) {
  return (
    <section className={`card tool-result${result.isError ? ' is-error' : ''}`} aria-label="Tool result" aria-live="polite">
      <h3>{result.isError ? 'The tool reported an error' : 'Result'}</h3>
      {result.content.map((item, index) => (
        <ContentView key={index} item={item} />
      ))}
      {result.content.length === 0 && <p className="muted">(no content)</p>}
      {result.structuredContent !== undefined && (
        <>
          <h4>Structured content</h4>
          <JsonView value={result.structuredContent} label="Structured content" />
        </>
      )}
    </section>
  );
}
