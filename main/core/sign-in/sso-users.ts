// Which Canopy user a company-IdP login is. In order:
//   1. the user already linked to this identity (`sso_subject` = `<IdP issuer>|<sub>`);
//   2. a user created for SSO (`canopy create user NAME --sso`: no token) and not linked yet, whose
//      name is the name the login's `preferred_username`, then its
//      `email` (only when `email_verified` is true), stands for — the part before any "@", with every
//      character a name cannot hold made "-" (alice.smith@corp.example → alice-smith). That user is
//      linked from then on: an administrator pre-creates `alice-smith` to give them a role first;
//   3. a new user named after `preferred_username`, else the email, verified or not (a number
//      appended when the name is taken), role
//      `admin` when one of the login's groups is in CANOPY_SSO_ADMIN_GROUPS, else `user`.
// The IdP must be the one that controls those claims (no self-chosen usernames).
import { createHash } from 'node:crypto';
import type { Store } from '../store/open.ts';
import type { UserRecord } from '../store/users.ts';
import type { SsoSettings } from '../config/sign-in-settings.ts';
import type { UserRole } from '../model/identities.ts';
import { isUniqueViolation } from '../store/dialect.ts';

/** The claims of a login this needs (from the ID token, completed by userinfo). */
export interface LoginClaims {
  sub: string;
  preferred_username?: unknown;
  email?: unknown;
  email_verified?: unknown;
  [claim: string]: unknown;
}

/** `changed`: the user was created or linked now (access must be reloaded). */
export type LoginOutcome = { ok: true; user: UserRecord; changed: boolean } | { ok: false; reason: string };

function nameFrom(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value) return undefined;
  const name = value.split('@', 1)[0].replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 64);
  return /[A-Za-z0-9]/.test(name) ? name : undefined;
}

/** The groups a login lists under `claim` (an array of strings, or one string). */
export function groupsOf(claims: Record<string, unknown>, claim: string): string[] {
  const value = claims[claim];
  if (typeof value === 'string') return [value];
  return Array.isArray(value) ? value.filter((group): group is string => typeof group === 'string') : [];
}

export async function userForLogin(store: Store, sso: SsoSettings, claims: LoginClaims, groups: string[]): Promise<LoginOutcome> {
  const subject = `${sso.issuer}|${claims.sub}`;
  const email = typeof claims.email === 'string' ? claims.email : undefined;
  // Linking hands over an existing account, so an email counts only when the IdP says it verified
  // it (Entra ID sends no email_verified: there the username links). A new user may be named after any email.
  const verifiedEmail = claims.email_verified === true ? email : undefined;
  const candidates = [...new Set([nameFrom(claims.preferred_username), nameFrom(verifiedEmail)].filter((name): name is string => name !== undefined))];
  const role: UserRole = groups.some((group) => sso.adminGroups.includes(group)) ? 'admin' : 'user';
  // Two first logins of one person racing: the loser finds the winner's row on its next pass.
  for (let attempt = 1; ; attempt++) {
    try {
      const outcome = await store.transaction(async (tx): Promise<LoginOutcome> => {
        const linked = await tx.users.getBySsoSubject(subject);
        if (linked) return { ok: true, user: linked, changed: false };
        for (const name of candidates) {
          const existing = await tx.users.get(name);
          // Only a user made for SSO (no token) is linked: a name is not proof enough to hand over an
          // account someone already uses with a token (the bootstrap admin, for one).
          if (existing && !existing.ssoSubject && !existing.tokenHash) {
            await tx.users.update(name, { ssoSubject: subject, email });
            return { ok: true, user: { ...existing, ssoSubject: subject, ...(email ? { email } : {}) }, changed: true };
          }
        }
        const base = nameFrom(claims.preferred_username) ?? nameFrom(email) ?? `user-${createHash('sha256').update(subject).digest('hex').slice(0, 8)}`;
        for (let n = 1; n <= 20; n++) {
          const name = n === 1 ? base : `${base.slice(0, 60)}-${n}`;
          if (await tx.users.get(name)) continue;
          return { ok: true, user: await tx.users.insert({ name, role, ssoSubject: subject, email }), changed: true };
        }
        return { ok: false, reason: `no free user name for ${base}: an administrator can create the user first` };
      });
      if (outcome.ok && outcome.user.disabled) {
        return { ok: false, reason: `Your Canopy account '${outcome.user.name}' is disabled. Ask an administrator to enable it.` };
      }
      return outcome;
    } catch (error) {
      if (!isUniqueViolation(error) || attempt === 3) throw error;
    }
  }
}
