// One line per registered entry: waiting, registering (spinner), registered (with warnings and an
// authorization link), or failed with the reason.
import { Button } from '../../../components/Button.tsx';
import { Spinner } from '../../../components/Spinner.tsx';
import { openExternal } from '../../../lib/open-external.ts';
import type { EntryResult } from '../hooks/use-register-entries.ts';

const OUTCOME_TEXT = { waiting: 'waiting', registering: 'registering…', registered: 'registered', failed: 'failed' } as const;

export function RegisterResults({ results }: { results: EntryResult[] }) {
  if (results.length === 0) return null;
  return (
    <ul className="register-results" aria-label="Registration results" aria-live="polite">
      {results.map((result, index) => (
        <li key={`${result.name}-${index}`} className={`result result-${result.outcome}`}>
          {result.outcome === 'registering' && <Spinner label={`Registering ${result.name}`} />}
          <strong>{result.name}:</strong> {OUTCOME_TEXT[result.outcome]}
          {result.message && <span className="result-message"> — {result.message}</span>}
          {result.warnings.map((warning) => (
            <span key={warning} className="result-warning">
              {' '}
              ⚠ {warning}
            </span>
          ))}
          {result.authorizationUrl && (
            <Button variant="primary" onClick={() => openExternal(result.authorizationUrl!)}>
              Authorize {result.name}
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
