// Connects, asks for a token when the gateway needs one, then shows the window.
import { Spinner } from '../components/Spinner.tsx';
import { LoginForm } from '../features/session/components/LoginForm.tsx';
import { Unreachable } from '../features/session/components/Unreachable.tsx';
import { useSession } from '../features/session/hooks/use-session.ts';
import { useTheme } from '../features/settings/hooks/use-theme.ts';
import { GatewayContext } from '../lib/gateway-context.tsx';
import { Shell } from './Shell.tsx';

export function App() {
  const theme = useTheme();
  const { session, retry, signIn, signOut } = useSession();
  switch (session.phase) {
    case 'connecting':
      return (
        <main className="center">
          <Spinner label="Connecting to Canopy" />
        </main>
      );
    case 'unreachable':
      return <Unreachable message={session.message} onRetry={retry} />;
    case 'uninitialized':
      return <Unreachable uninitialized message={session.message} onRetry={retry} />;
    case 'login':
      return <LoginForm message={session.message} sso={session.sso} onSignIn={signIn} />;
    case 'ready':
      return (
        <GatewayContext.Provider value={{ client: session.client, status: session.status, connection: session.connection, signedIn: session.signedIn, signOut }}>
          <Shell theme={theme} onReconnect={retry} />
        </GatewayContext.Provider>
      );
  }
}
