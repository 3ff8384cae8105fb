// Enterprise mode in the browser: the admin API needs a token. It is kept for this tab only.
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';

export function LoginForm({ message, onSignIn }: { message?: string; onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignIn(token);
  };
  return (
    <main className="center">
      <form className="card form login" aria-label="Sign in" onSubmit={submit}>
        <h1>Sign in to Canopy</h1>
        <p className="muted">
          This gateway needs a token. Use the one <code>canopy init-server</code> printed, or a user token from <code>canopy create user</code>.
        </p>
        <label>
          Access token
          <input type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)} />
        </label>
        <ErrorNote message={message} />
        <Button type="submit" variant="primary" disabled={!token.trim()}>
          Sign in
        </Button>
      </form>
    </main>
  );
}
