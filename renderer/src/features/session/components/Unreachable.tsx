import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';

export function Unreachable({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <main className="center">
      <div className="card form">
        <h1>Canopy is not reachable</h1>
        <ErrorNote message={message} />
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
      </div>
    </main>
  );
}
