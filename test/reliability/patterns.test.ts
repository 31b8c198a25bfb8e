import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mappingsOfRole, securityPatternVerdict, wildcardMatches, type RolesMappingEntry } from '../../src/check-kit.js';
import { javaRegexMatches } from '../../src/model/security-regex.js';
import { matchesWildcard } from '../../src/policy/wildcard.js';
import { loadFixture, report, runCheck, variant } from '../helpers.js';
import { AUTH, cond, fgac, IP, trust, withTrust } from '../checks/identity-helpers.js';

// Patterns that make a backtracking engine run for ever on a short value. Each case must end (the
// suite would hang, not fail, before the bounded matchers); results are asserted, never timed.
const RUNS = Number(process.env['PROPERTY_RUNS'] ?? 10_000) / 5;
const LONG = 'a'.repeat(4_000);
/** A hang guard, not a speed limit: generous enough for a loaded 2-core machine. */
const CASE_BUDGET_MS = 120_000;

const entry = (backend_roles: string[], users: string[] = [], and_backend_roles: string[] = []): RolesMappingEntry => ({
  backend_roles,
  users,
  and_backend_roles,
  hosts: [],
});

describe('wildcard patterns (IAM StringLike, security-plugin * and ?)', () => {
  it(
    'backtracking shapes end with the right answer',
    () => {
      expect(wildcardMatches('**********X', 'a'.repeat(64))).toBe(false);
      expect(wildcardMatches('**********X', `${LONG}X`)).toBe(true);
      expect(matchesWildcard('************X', LONG)).toBe(false);
      expect(matchesWildcard('*a*a*a*a*a*a*a*a*a*a*b', LONG)).toBe(false);
      expect(matchesWildcard('*a*a*a*a*a*a*a*a*a*a*b', `${LONG}b`)).toBe(true);
      expect(matchesWildcard('?'.repeat(4_000), LONG)).toBe(true);
    },
    CASE_BUDGET_MS,
  );

  it(
    `agrees with an anchored regular expression on short values (${RUNS} cases)`,
    () => {
      const pattern = fc.array(fc.constantFrom('a', 'b', '*', '?', '.', '\n'), { maxLength: 8 }).map((p) => p.join(''));
      const value = fc.array(fc.constantFrom('a', 'b', '.', '\n'), { maxLength: 10 }).map((v) => v.join(''));
      fc.assert(
        fc.property(pattern, value, (p, v) => {
          const source = p.replace(/[.]/g, '\\.').replace(/\*/g, '[^]*').replace(/\?/g, '[^]');
          expect(matchesWildcard(p, v)).toBe(new RegExp(`^${source}$`).test(v));
        }),
        { numRuns: RUNS },
      );
    },
    CASE_BUDGET_MS,
  );
});

describe('security-plugin /regex/ patterns (Java regular expressions, whole value)', () => {
  it('matches what Java matches on the constructs role mappings use', () => {
    const cases: Array<[string, string, boolean]> = [
      ['arn:aws:iam::\\d{12}:role/Cognito_.*Auth_Role', 'arn:aws:iam::123456789012:role/Cognito_logsAuth_Role', true],
      ['arn:aws:iam::\\d{12}:role/Cognito_.*Auth_Role', 'arn:aws:iam::12345678901:role/Cognito_logsAuth_Role', false],
      ['arn:aws:iam::[0-9]+:role/(?:admin|reader)s?', 'arn:aws:iam::1:role/readers', true],
      ['[^/]+', 'a/b', false],
      ['\\Qarn:aws:iam::1:role/x.y\\E', 'arn:aws:iam::1:role/x.y', true],
      ['\\Qarn:aws:iam::1:role/x.y\\E', 'arn:aws:iam::1:role/xzy', false],
      ['a{2,3}', 'aaaa', false],
      ['a{2,}', 'aaaa', true],
      ['^role$', 'role', true],
      ['.', '\n', false],
      ['\\w+\\s\\d', 'ab 1', true],
      ['(?<name>ab)+', 'abab', true],
      ['x*?y', 'xxy', true],
    ];
    for (const [source, value, expected] of cases) expect(javaRegexMatches(source, value), `${source} on ${value}`).toEqual({ matches: expected });
  });

  it(
    'backtracking shapes end with the right answer',
    () => {
      expect(javaRegexMatches('(.*.*)*X', LONG)).toEqual({ matches: false });
      expect(javaRegexMatches('(a|a)*X', LONG)).toEqual({ matches: false });
      expect(javaRegexMatches('(a*)*b', LONG)).toEqual({ matches: false });
      expect(javaRegexMatches(`${'.*'.repeat(40)}X`, LONG)).toEqual({ matches: false });
      expect(javaRegexMatches(`${'.*'.repeat(40)}X`, `${LONG}X`)).toEqual({ matches: true });
      expect(javaRegexMatches('(x+x+)+y', 'x'.repeat(5_000))).toEqual({ matches: false });
    },
    CASE_BUDGET_MS,
  );

  it('answers undecidable, with the reason, for what needs Java-only or backtracking semantics', () => {
    const cases: Array<[string, RegExp]> = [
      ['(a)\\1', /backreference/],
      ['(?=a)a', /lookaround/],
      ['(?i)a', /inline flags/],
      ['a*+', /possessive/],
      ['\\p{L}+', /Java-specific/],
      ['[a-z&&[^b]]', /intersection/],
      ['a\\b', /Java-specific/],
      ['((a{1000}){1000}){1000}', /automaton states/],
      ['((){99999}){99999}', /compile steps/],
      [`${'('.repeat(5_000)}a${')'.repeat(5_000)}`, /nested deeper/],
      ['a{', /repetition/],
      ['(a', /unterminated group/],
    ];
    for (const [source, reason] of cases) {
      const verdict = javaRegexMatches(source, 'aaa');
      expect('undecidable' in verdict && verdict.undecidable, source).toMatch(reason);
    }
  });

  it(
    `agrees with an anchored JavaScript regular expression on the shared syntax (${RUNS} cases)`,
    () => {
      const atom: fc.Arbitrary<string> = fc.letrec((tie) => ({
        atom: fc.oneof(
          { maxDepth: 3, depthIdentifier: 'group' },
          fc.constantFrom('a', 'b', '.', '[ab]', '[^a]', '\\d', 'x'),
          fc.tuple(tie('alt'), fc.boolean()).map(([inner, capture]) => (capture ? `(${inner})` : `(?:${inner})`)),
        ),
        piece: fc.tuple(tie('atom'), fc.constantFrom('', '', '*', '+', '?', '{1,2}', '{2}', '*?')).map(([a, q]) => `${a}${q}`),
        seq: fc.array(tie('piece'), { minLength: 1, maxLength: 3 }).map((pieces) => pieces.join('')),
        alt: fc.array(tie('seq'), { minLength: 1, maxLength: 2 }).map((options) => options.join('|')),
      })).alt as fc.Arbitrary<string>;
      const value = fc.array(fc.constantFrom('a', 'b', 'x', '1', '\n'), { maxLength: 6 }).map((v) => v.join(''));
      fc.assert(
        fc.property(atom, value, (source, v) => {
          const js = new RegExp(`^(?:${source})$`).test(v);
          expect(javaRegexMatches(source, v), source).toEqual({ matches: js });
        }),
        { numRuns: RUNS },
      );
    },
    CASE_BUDGET_MS,
  );
});

describe('role mappings with hostile patterns', () => {
  const ROLE = 'arn:aws:iam::123456789012:role/Cognito_logsprodAuth_Role';

  it('wildcard and regex backtracking shapes are evaluated, to no mapping', () => {
    for (const pattern of ['************X', '/(.*.*)*X/', `/${'.*'.repeat(40)}X/`]) {
      const view = mappingsOfRole({ all_access: entry([pattern], [pattern], [pattern]) }, ROLE);
      expect(view, pattern).toMatchObject({ securityRoles: [], undecided: [] });
    }
    expect(securityPatternVerdict('/(?:.*)*Auth_Role/', ROLE)).toBe(true);
  });

  it('a pattern cogdoctor cannot evaluate makes that mapping undecided, not "not mapped"', () => {
    const view = mappingsOfRole({ all_access: entry(['/(arn).*\\1/']), readall: entry(['arn:aws:iam::1:role/other']) }, ROLE);
    expect(view.securityRoles).toEqual([]);
    expect(view.undecided).toEqual([{ securityRole: 'all_access', pattern: '/(arn).*\\1/', reason: expect.stringMatching(/backreference/) }]);
    // A decided mapping wins over an undecidable pattern elsewhere.
    expect(mappingsOfRole({ all_access: entry(['/(arn).*\\1/', ROLE]) }, ROLE)).toMatchObject({ securityRoles: ['all_access'], undecided: [] });
  });

  const withMapping = (map: Record<string, RolesMappingEntry>) =>
    variant(loadFixture('healthy/opensearch-fgac.json'), (s) => (s.securityPlugin = { rolesMapping: map }));

  it('fgac-role-mappings: unknown naming the pattern when it decides, a finding when the hostile pattern is evaluated', () => {
    const undecided = runCheck('fgac-role-mappings', withMapping({ all_access: entry(['/(?=arn).*/']) }));
    expect(undecided).toMatchObject({ status: 'unknown', ids: [] });
    expect(undecided.reason).toMatch(/all_access lists \/\(\?=arn\)\.\*\/, which cogdoctor cannot evaluate \(group construct/);
    expect(runCheck('fgac-role-mappings', withMapping({ all_access: entry(['/(.*.*)*X/', '************X']) }))).toMatchObject({
      status: 'fail',
      ids: ['missing-role'],
    });
  });

  it('trust conditions with a backtracking aud or amr are evaluated by every check', () => {
    const hostile = withTrust(
      fgac,
      AUTH,
      trust({
        StringLike: { 'cognito-identity.amazonaws.com:aud': '**********X' },
        'ForAnyValue:StringLike': { 'cognito-identity.amazonaws.com:amr': '************X' },
      }),
    );
    const result = report(hostile);
    expect(result.checks.filter((c) => c.status === 'error')).toEqual([]);
    expect(result.findings.map((f) => f.id)).toContain('trust-policy-missing-conditions');
    expect(report(withTrust(fgac, AUTH, trust(cond(IP, 'authenticated', 'StringLike')))).findings).toEqual([]);
  });
});
