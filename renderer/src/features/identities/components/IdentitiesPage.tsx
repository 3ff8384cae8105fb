// Clients and users: only in enterprise mode, where every caller needs a token.
import { ClientsSection } from './ClientsSection.tsx';
import { OAuthClientsSection } from './OAuthClientsSection.tsx';
import { UsersSection } from './UsersSection.tsx';

export function IdentitiesPage() {
  return (
    <div className="page">
      <header className="page-header">
        <h1>Clients and users</h1>
      </header>
      <ClientsSection />
      <UsersSection />
      <OAuthClientsSection />
    </div>
  );
}
