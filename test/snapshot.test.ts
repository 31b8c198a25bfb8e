import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandSnapshotPaths, parseSnapshot, SnapshotError } from '../src/snapshot/read.js';
import { runCheck, loadFixture, report } from './helpers.js';

const base = loadFixture('healthy/opensearch-fgac.json');
const text = (value: unknown) => JSON.stringify(value);

function errorOf(input: string): SnapshotError {
  try {
    parseSnapshot(input);
  } catch (error) {
    if (error instanceof SnapshotError) return error;
    throw error;
  }
  throw new Error('expected a SnapshotError');
}

describe('the snapshot reader', () => {
  it('takes parts pasted as the whole AWS CLI response ({"UserPool": …}, {"Role": …}, {"Groups": […]}) as the part they wrap', () => {
    const wrapped = structuredClone(base) as unknown as Record<string, unknown>;
    wrapped['domain'] = { DomainStatus: base.domain };
    wrapped['userPool'] = { UserPool: base.userPool };
    wrapped['userPoolClients'] = base.userPoolClients!.map((c) => ({ UserPoolClient: c }));
    wrapped['roles'] = base.roles!.map((r) => ({ Role: r }));
    wrapped['userPoolGroups'] = { Groups: base.userPoolGroups };
    const parsed = parseSnapshot(text(wrapped));
    expect(parsed.userPool).toEqual(base.userPool);
    expect(parsed.roles).toEqual(base.roles);
    expect(report(parsed).findings).toEqual(report(base).findings);
    expect(report(parsed).checks).toEqual(report(base).checks);
  });

  it('accepts the trust policy URL-encoded (as IAM returns it) and decoded, with the same result', () => {
    const decoded = structuredClone(base);
    for (const role of decoded.roles!) role.AssumeRolePolicyDocument = JSON.parse(decodeURIComponent(role.AssumeRolePolicyDocument as string)) as never;
    expect(typeof base.roles![1]!.AssumeRolePolicyDocument).toBe('string');
    const a = report(parseSnapshot(text(base)));
    const b = report(parseSnapshot(text(decoded)));
    expect(b.findings).toEqual(a.findings);
    expect(b.checks).toEqual(a.checks);
  });

  it('accepts the legacy Elasticsearch domain shape', () => {
    const legacy = loadFixture('healthy/legacy-es-kibana.json');
    expect(legacy.domain.EngineVersion).toBeUndefined();
    expect(runCheck('app-client-callback-urls', legacy).status).toBe('pass');
  });

  it('keeps unknown fields', () => {
    const withExtra = parseSnapshot(text({ ...base, futureField: { a: 1 }, domain: { ...base.domain, SomethingNew: true } }));
    expect(withExtra['futureField']).toEqual({ a: 1 });
    expect((withExtra.domain as Record<string, unknown>)['SomethingNew']).toBe(true);
  });

  it('redacts a client secret left in a hand-written snapshot', () => {
    const leaky = structuredClone(base);
    leaky.userPoolClients![0]!.ClientSecret = 'CANARY-client-secret-1234567890';
    const parsed = parseSnapshot(text(leaky));
    expect(parsed.userPoolClients![0]!.ClientSecret).toBe('<redacted>');
    expect(JSON.stringify(report(parsed))).not.toContain('CANARY');
  });

  // The input comes last: a test name shows only what is wrong and where.
  it.each([
    ['not JSON', '$', '{'],
    ['not an object', '$', '[]'],
    ['a wrong schema', '$.schema', text({ ...base, schema: 'cogdoctor/snapshot/v9' })],
    [
      'a wrong type deep inside',
      '$.userPoolClients[0].CallbackURLs',
      text({ ...base, userPoolClients: [{ ...base.userPoolClients![0], CallbackURLs: 'https://x' }] }),
    ],
    [
      'an unknown role mapping type',
      '$.identityPoolRoles.RoleMappings.k.Type',
      text({ ...base, identityPoolRoles: { ...base.identityPoolRoles, RoleMappings: { k: { Type: 'Tokens' } } } }),
    ],
    ['an access policy that is not JSON', '$.domain.AccessPolicies', text({ ...base, domain: { ...base.domain, AccessPolicies: 'not json' } })],
    ['a role without Arn', '$.roles[0].Arn', text({ ...base, roles: [{ RoleName: 'x' }] })],
  ])('rejects %s, naming %s', (_what, path, input) => {
    const error = errorOf(input);
    expect(error.path).toBe(path);
    expect(error.message.split('\n')).toHaveLength(1);
  });

  it('rejects a document over the size limit without parsing it', () => {
    const huge = `{"schema":"cogdoctor/snapshot/v1","pad":"${'x'.repeat(21 * 1024 * 1024)}"}`;
    expect(errorOf(huge).message).toMatch(/limit/);
  });

  it('rejects a policy nested 10,000 levels deep with a clear message', () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const policy = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"es:*","Resource":"*","Principal":"*","Condition":{"StringEquals":{"k":${deep}}}}]}`;
    const error = errorOf(text({ ...base, domain: { ...base.domain, AccessPolicies: policy } }));
    expect(error.path).toMatch(/^\$\.domain\.AccessPolicies/);
  });
});

describe('snapshot paths', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cogdoctor-paths-'));
  for (const name of ['a.json', '[a].json', '{a,b}.json', '.hidden.json', 'folder.json/inside.json', '.git/x.json', 'nested/b.json']) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), '{}');
  }
  const namesOf = async (pattern: string) => (await expandSnapshotPaths([join(dir, pattern)])).map((file) => relative(dir, file));

  it('in a glob only *, ? and ** are wildcards: brackets and braces in a name match themselves', async () => {
    expect(await namesOf('[a]*.json')).toEqual(['[a].json']);
    expect(await namesOf('{a,b}.js?n')).toEqual(['{a,b}.json']);
  });

  it('a wildcard matches neither a leading dot nor a folder, and the files come in name order', async () => {
    expect(await namesOf('*')).toEqual(['[a].json', 'a.json', '{a,b}.json']);
    await expect(namesOf('?hidden.json')).rejects.toThrow(/^no file matches/);
    expect(await namesOf('**/*.json')).toEqual(['[a].json', 'a.json', 'folder.json/inside.json', 'nested/b.json', '{a,b}.json']);
  });

  it('a glob that matches nothing is a one-line error naming it', async () => {
    const error = await expandSnapshotPaths([join(dir, '*.yaml')]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SnapshotError);
    expect((error as SnapshotError).message).toBe(`no file matches ${join(dir, '*.yaml')}`);
  });
});
