import type { StatusView } from '@core/api/contract.ts';

export function SecretsSection({ secrets }: { secrets: StatusView['secrets'] }) {
  return (
    <section className="card" aria-label="Secrets">
      <h2>Secrets</h2>
      <p>
        Tokens, API keys and secret environment values are kept in: <strong>{secrets.description}</strong>
      </p>
      {secrets.warning && (
        <p className="warning" role="note">
          ⚠ {secrets.warning}
        </p>
      )}
    </section>
  );
}
