// The names clients see. Claude (and others) refuse a tool or prompt name that does not match
// ^[a-zA-Z0-9_-]{1,64}$, so every listed name does: one that already complies is kept as it is; any
// other (too long, dots, spaces, unicode, a clash) gets a short form: its characters outside the
// rule replaced by "_", cut to fit, and `_` + a hash of `server/originalName` appended.
// The result depends only on the set of claims, never on their order, so two replicas (or one after
// a restart) with the same servers, catalogs and overrides list the same names.
import { createHash } from 'node:crypto';
import { isExposableName, MAX_EXPOSED_NAME_LENGTH } from '../config/names.ts';

export interface NameClaim {
  /** Unique per item: `server/originalName` (server names contain no "/"). The short form hashes it. */
  id: string;
  /** The name the item asks for: `prefix__name` on aggregated views, `name` on a server's own endpoint. */
  wanted: string;
  /** True when `wanted` comes from an override: on a clash the upstream's own name keeps it. */
  overridden: boolean;
}

export function claimId(server: string, originalName: string): string {
  return `${server}/${originalName}`;
}

/** Hash lengths tried in turn while short forms still clash (24, 48, 80 bits). */
const HASH_LENGTHS = [6, 12, 20];

function shortForm(wanted: string, id: string, hashLength = HASH_LENGTHS[0]): string {
  const hash = createHash('sha256').update(id).digest('hex').slice(0, hashLength);
  const head = wanted.replace(/[^a-zA-Z0-9_-]/gu, '_').slice(0, MAX_EXPOSED_NAME_LENGTH - hashLength - 1);
  return `${head}_${hash}`;
}

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

/**
 * Assigns every claim a compliant name no other claim (nor `reserved`) has; returns id → name.
 * A compliant wanted name is kept when it is the only claim on it, or the only one that is not an
 * override; every other claim gets its short form, lengthened while short forms clash.
 */
export function assignNames(claims: Iterable<NameClaim>, reserved: ReadonlySet<string> = new Set()): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set(reserved);
  let pending: NameClaim[] = [];
  // An upstream listing one name twice makes two claims of one item: the item is named once.
  const unique = new Map<string, NameClaim>();
  for (const claim of claims) if (!unique.has(claim.id)) unique.set(claim.id, claim);
  for (const [wanted, group] of groupBy(unique.values(), (claim) => claim.wanted)) {
    const own = group.filter((claim) => !claim.overridden);
    const keeper = group.length === 1 ? group[0] : own.length === 1 ? own[0] : undefined;
    if (keeper && isExposableName(wanted) && !reserved.has(wanted)) {
      names.set(keeper.id, wanted);
      taken.add(wanted);
      pending.push(...group.filter((claim) => claim !== keeper));
    } else pending.push(...group);
  }
  for (const length of HASH_LENGTHS) {
    const next: NameClaim[] = [];
    // Within a round the proposals are distinct keys, so the order they are taken in does not matter.
    for (const [name, group] of groupBy(pending, (claim) => shortForm(claim.wanted, claim.id, length))) {
      if (group.length === 1 && !taken.has(name)) {
        names.set(group[0].id, name);
        taken.add(name);
      } else next.push(...group);
    }
    pending = next;
    if (pending.length === 0) break;
  }
  // What still clashes after 80 bits of hash (or a duplicate id) is left unlisted rather than ambiguous.
  return names;
}
