// The answer of a resource read: per item its URI, type and size; text shown, blobs summarized.
import type { ReadResourceView } from '@core/api/contract.ts';
import { countOf } from '../../../lib/plural.ts';
import { summarize } from '../lib/content-summary.ts';

export function ResourceContents({ result }: { result: ReadResourceView }) {
  return (
    <section className="tool-result" aria-label="Resource contents">
      <h3>{countOf(result.contents.length, 'item')}</h3>
      {result.contents.map((content, index) => {
        const summary = summarize(content);
        return (
          <div key={index} className="resource-content">
            <p className="small">
              <code className="wrap">{summary.uri}</code> · {summary.mimeType} · {summary.kind === 'text' ? countOf(summary.size, 'character') : `binary, ${countOf(summary.size, 'byte')}`}
            </p>
            {summary.text !== undefined && (
              <pre className="code" tabIndex={0} aria-label={`Text of ${summary.uri}`}>
                {summary.text}
              </pre>
            )}
          </div>
        );
      })}
    </section>
  );
}
