// Enterprise mode in the browser: the admin API needs a token (kept for this tab only), or an SSO
// sign-in at the company IdP when the gateway offers one.
import { useState, type FormEvent } from 'react';
import { Button } from '../../../components/Button.tsx';
import { ErrorNote } from '../../../components/ErrorNote.tsx';

export function LoginForm({ message, sso, onSignIn }: { message?: string; sso?: boolean; onSignIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (token.trim()) onSignIn(token);
  };
  return (
    <main className="center">
      <form className="card form login" aria-label="Sign in" onSubmit={submit}>
        <h1>Sign in to Canopy</h1>
        {sso && (
          <p>
            <a className="button button-primary" href="/sign-in/ui">
              Sign in with SSO
            </a>
          </p>
        )}
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
