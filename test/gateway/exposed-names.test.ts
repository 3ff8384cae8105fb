// The naming rule on its own: compliant names kept, others given short forms, clashes resolved the
// same way whatever order the claims come in.
import { describe, expect, it } from 'vitest';
import { assignNames, claimId, type NameClaim } from '../../main/core/gateway/exposed-names.ts';

const claim = (server: string, name: string, wanted = `${server}__${name}`, overridden = false): NameClaim => ({ id: claimId(server, name), wanted, overridden });
const RULE = /^[a-zA-Z0-9_-]{1,64}$/;

/** Every order of `claims` (up to 6 of them) gives the same names. */
function sameInEveryOrder(claims: NameClaim[]): Map<string, string> {
  const expected = assignNames(claims);
  const permutations = (items: NameClaim[]): NameClaim[][] =>
    items.length <= 1 ? [items] : items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
  for (const order of permutations(claims)) expect(assignNames(order)).toEqual(expected);
  return expected;
}

describe('exposed names', () => {
  it('keeps compliant names and gives every other one a distinct compliant short form, in any order', () => {
    const claims = [claim('s', 'files_read'), claim('s', 'files.read'), claim('s', 'files read'), claim('s', 'café'), claim('s', 'x'.repeat(80)), claim('t', 'files.read')];
    const names = sameInEveryOrder(claims);
    expect(names.get('s/files_read')).toBe('s__files_read');
    const all = [...names.values()];
    expect(new Set(all).size).toBe(claims.length);
    for (const name of all) expect(name).toMatch(RULE);
    expect(names.get('s/files.read')).toMatch(/^s__files_read_[0-9a-f]{6}$/);
    expect(names.get('t/files.read')).toMatch(/^t__files_read_[0-9a-f]{6}$/);
  });

  it("lets the upstream's own name win over an override asking for it; two overrides asking for one name both yield", () => {
    const own = claim('s', 'search');
    const renamed = claim('s', 'search_v2', 's__search', true);
    expect(sameInEveryOrder([own, renamed])).toEqual(new Map([
      [own.id, 's__search'],
      [renamed.id, expect.stringMatching(/^s__search_[0-9a-f]{6}$/)],
    ]));
    const names = sameInEveryOrder([claim('s', 'a', 's__same', true), claim('s', 'b', 's__same', true)]);
    expect([...names.values()].every((name) => /^s__same_[0-9a-f]{6}$/.test(name))).toBe(true);
  });

  it('lengthens the hash while a short form is taken, and leaves reserved names alone', () => {
    const odd = claim('s', 'a.b');
    const first = assignNames([odd]).get(odd.id)!;
    // Something else already holds the 6-digit short form: the next longer one is used.
    const around = assignNames([odd], new Set([first]));
    expect(around.get(odd.id)).toMatch(/^s__a_b_[0-9a-f]{12}$/);
    const compliant = claim('s', 'ok');
    expect(assignNames([compliant], new Set(['s__ok'])).get(compliant.id)).toMatch(/^s__ok_[0-9a-f]{6}$/);
  });

  it('names an item listed twice by its upstream once', () => {
    const twice = claim('s', 'dup');
    expect(assignNames([twice, { ...twice }])).toEqual(new Map([[twice.id, 's__dup']]));
  });
});
