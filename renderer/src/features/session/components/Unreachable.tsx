import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';

/** The gateway cannot be used yet: not reachable, or (enterprise) not initialized. */
export function Unreachable({ message, onRetry, uninitialized = false }: { message: string; onRetry: () => void; uninitialized?: boolean }) {
  return (
    <main className="center">
      <div className="card form">
        <h1>{uninitialized ? 'Canopy needs initialization' : 'Canopy is not reachable'}</h1>
        {uninitialized && (
          <p>
            This enterprise gateway is running but has no administrator yet. Create one in a terminal on the gateway host with{' '}
            <code>canopy init-server</code> (the command with its init token is in the banner <code>canopy serve</code> printed), then try again and sign in
            with the token it prints.
          </p>
        )}
        <ErrorNote message={message} />
        <Button variant="primary" onClick={onRetry}>
          Try again
        </Button>
      </div>
    </main>
  );
}
