import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parsePolicy, PolicyParseError } from '../../src/policy/index.js';
import { COGNITO, POOL } from './fixtures.js';

const trustPolicy = {
  Version: '2012-10-17',
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Federated: COGNITO },
      Action: 'sts:AssumeRoleWithWebIdentity',
      Condition: {
        StringEquals: { [`${COGNITO}:aud`]: POOL },
        'ForAnyValue:StringLike': { [`${COGNITO}:amr`]: 'authenticated' },
      },
    },
  ],
};

function parseError(input: unknown): PolicyParseError {
  try {
    parsePolicy(input);
  } catch (error) {
    if (error instanceof PolicyParseError) return error;
    throw error;
  }
  throw new Error('expected a PolicyParseError');
}

function nestedObject(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let level = 0; level < depth; level += 1) value = { a: value };
  return value;
}

describe('parsePolicy accepts', () => {
  it('an object', () => {
    expect(parsePolicy(trustPolicy)).toEqual(trustPolicy);
  });

  it('a JSON string', () => {
    expect(parsePolicy(JSON.stringify(trustPolicy))).toEqual(trustPolicy);
  });

  it('the URL-encoded JSON that IAM GetRole returns', () => {
    const encoded = encodeURIComponent(JSON.stringify(trustPolicy));
    expect(encoded.startsWith('%7B%22Version%22')).toBe(true);
    expect(parsePolicy(encoded)).toEqual(trustPolicy);
  });

  it('plain JSON containing a bare "%", which URL-decoding would reject', () => {
    const policy = { Statement: { Effect: 'Allow', Action: '*', Resource: '*', Condition: { StringLike: { k: '100%' } } } };
    expect(parsePolicy(JSON.stringify(policy)).Statement[0]?.Condition).toEqual({ StringLike: { k: '100%' } });
  });

  it('a single Statement object, normalized to a list, keeping string-or-list fields as written', () => {
    const parsed = parsePolicy({ Statement: { Sid: 'One', Effect: 'Deny', Action: 'es:*', Resource: ['a', 'b'] } });
    expect(parsed).toEqual({ Statement: [{ Sid: 'One', Effect: 'Deny', Action: 'es:*', Resource: ['a', 'b'] }] });
  });

  it('"*" and typed principals, NotPrincipal and NotAction/NotResource', () => {
    const parsed = parsePolicy({
      Statement: [
        { Effect: 'Allow', Principal: '*', NotAction: 'iam:*', NotResource: 'arn:aws:iam::*:*' },
        { Effect: 'Deny', NotPrincipal: { AWS: ['123456789012'], Service: 'es.amazonaws.com' }, Action: '*' },
      ],
    });
    expect(parsed.Statement).toHaveLength(2);
  });

  it('condition values that are numbers or booleans', () => {
    const condition = { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 'aws:MultiFactorAuthAge': 3600 } };
    const parsed = parsePolicy({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*', Condition: condition }] });
    expect(parsed.Statement[0]?.Condition).toEqual(condition);
  });
});

describe('parsePolicy rejects, naming the path', () => {
  it.each([
    { name: 'bad JSON', input: '{"Version": "2012-10-17", "Statement": [', path: '' },
    { name: 'broken URL encoding', input: '%7B%22Version%E0%A4%A', path: '' },
    { name: 'a non-object document', input: [trustPolicy], path: '' },
    { name: 'null', input: null, path: '' },
    { name: 'a number', input: 42, path: '' },
    { name: 'a missing Statement', input: { Version: '2012-10-17' }, path: 'Statement' },
    { name: 'a Statement string', input: { Statement: 'Allow everything' }, path: 'Statement' },
    { name: 'an unknown Version', input: { Version: '2020-01-01', Statement: [] }, path: 'Version' },
    { name: 'an unknown top-level element', input: { Statement: [], Statements: [] }, path: 'Statements' },
    {
      name: 'Effect "Allowed"',
      input: { Statement: [{ Effect: 'Allowed', Action: '*', Resource: '*' }] },
      path: 'Statement[0].Effect',
    },
    {
      name: 'Effect in the wrong case',
      input: { Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] },
      path: 'Statement[0].Effect',
    },
    {
      name: 'a statement without Action or NotAction',
      input: {
        Statement: [
          { Effect: 'Allow', Action: '*' },
          { Effect: 'Allow', Resource: '*' },
        ],
      },
      path: 'Statement[1]',
    },
    {
      name: 'both Action and NotAction',
      input: { Statement: [{ Effect: 'Allow', Action: '*', NotAction: 'iam:*' }] },
      path: 'Statement[0]',
    },
    {
      name: 'both Principal and NotPrincipal',
      input: { Statement: [{ Effect: 'Deny', Principal: '*', NotPrincipal: { AWS: '*' }, Action: '*' }] },
      path: 'Statement[0]',
    },
    {
      name: 'a misspelt element',
      input: { Statement: [{ Effect: 'Allow', Principle: '*', Action: '*' }] },
      path: 'Statement[0].Principle',
    },
    {
      name: 'a non-string action in a list',
      input: { Statement: [{ Effect: 'Allow', Action: ['es:*', 7] }] },
      path: 'Statement[0].Action[1]',
    },
    { name: 'an empty action list', input: { Statement: [{ Effect: 'Allow', Action: [] }] }, path: 'Statement[0].Action' },
    {
      name: 'a principal string other than "*"',
      input: { Statement: [{ Effect: 'Allow', Principal: 'arn:aws:iam::123456789012:root', Action: '*' }] },
      path: 'Statement[0].Principal',
    },
    {
      name: 'an unknown principal type',
      input: { Statement: [{ Effect: 'Allow', Principal: { Users: 'bob' }, Action: '*' }] },
      path: 'Statement[0].Principal.Users',
    },
    {
      name: 'a nested object as a condition value',
      input: { Statement: [{ Effect: 'Allow', Action: '*', Condition: { StringEquals: { 'aws:SourceIp': { a: 1 } } } }] },
      path: 'Statement[0].Condition.StringEquals.aws:SourceIp',
    },
    {
      name: 'null as a condition value',
      input: { Statement: [{ Effect: 'Allow', Action: '*', Condition: { Null: { 'aws:SourceIp': null } } }] },
      path: 'Statement[0].Condition.Null.aws:SourceIp',
    },
    {
      name: 'a condition operator that is not an object',
      input: { Statement: [{ Effect: 'Allow', Action: '*', Condition: { StringEquals: 'x' } }] },
      path: 'Statement[0].Condition.StringEquals',
    },
  ])('$name', ({ input, path }) => {
    const error = parseError(input);
    expect(error.path).toBe(path);
    expect(error.name).toBe('PolicyParseError');
    expect(error.message).not.toContain('\n');
    if (path !== '') expect(error.message.startsWith(`${path}: `)).toBe(true);
  });

  it('10,000 levels of nesting in a JSON string, pointing at where the limit was crossed', () => {
    const nested = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const deep = `{"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": ${nested}}}}]}`;
    const error = parseError(deep);
    expect(error.message).toContain('nested deeper than 64 levels');
    expect(error.path.startsWith('Statement[0].Condition.StringEquals.k[0][0]')).toBe(true);
  });

  it('10,000 levels of nesting in an object', () => {
    expect(parseError({ Statement: [], Id: nestedObject(10_000) }).path.startsWith('Id.a.a.a')).toBe(true);
  });

  it('a cyclic object', () => {
    const cyclic: Record<string, unknown> = { Statement: [] };
    cyclic.self = cyclic;
    expect(parseError(cyclic).message).toContain('nested deeper than 64 levels');
  });

  it('an object graph that would be exponential to walk', () => {
    let shared: unknown = 'leaf';
    for (let level = 0; level < 40; level += 1) shared = { left: shared, right: shared };
    expect(parseError({ Statement: [], Id: shared }).message).toContain('more than 100000 values');
  });

  it('at exactly 65 levels, while 64 pass the nesting check', () => {
    // The document is level 1, so Id holding 63 nested objects reaches level 64.
    expect(parseError({ Statement: [], Id: nestedObject(63) }).message).toBe('Id: must be a string');
    expect(parseError({ Statement: [], Id: nestedObject(64) }).message).toContain('nested deeper than 64 levels');
  });
});

describe('parsePolicy never throws anything but PolicyParseError', () => {
  const onlyParseErrors = (input: unknown) => {
    try {
      parsePolicy(input);
    } catch (error) {
      expect(error).toBeInstanceOf(PolicyParseError);
    }
  };

  it('on arbitrary values', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withBoxedValues: true }), onlyParseErrors));
  });

  it('on arbitrary strings and JSON texts', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), fc.json().map(encodeURIComponent)), onlyParseErrors));
  });

  it('on statement-shaped JSON with values of any type', () => {
    const field = fc.option(fc.jsonValue(), { nil: undefined });
    const statementLike = fc.record({
      Effect: fc.constantFrom<unknown>('Allow', 'Deny', 'Allowed', 1),
      Principal: field,
      Action: fc.oneof(fc.constant('*'), fc.jsonValue()),
      Resource: field,
      Condition: fc.option(fc.dictionary(fc.string(), fc.dictionary(fc.string(), fc.jsonValue())), { nil: undefined }),
    });
    fc.assert(fc.property(fc.array(statementLike), (Statement) => onlyParseErrors({ Statement })));
  });
});
