// A freshly issued token: shown once, with a copy button.
import { Button } from '../../../components/Button.tsx';
import { CopyButton } from '../../../components/CopyButton.tsx';
import type { IssuedFor } from '../hooks/use-identity-collection.ts';

export function TokenOnce({ issued, onDone }: { issued: IssuedFor; onDone: () => void }) {
  return (
    <div className="card token-once" role="region" aria-label={`Token for ${issued.name}`}>
      <p>
        <strong>Token for {issued.name}.</strong> Copy it now: Canopy keeps only its hash and cannot show it again.
      </p>
      <div className="token-row">
        <code className="token" aria-label="New token">
          {issued.token}
        </code>
        <CopyButton text={issued.token} label="Copy token" />
      </div>
      <Button onClick={onDone}>I have saved it</Button>
    </div>
  );
}
