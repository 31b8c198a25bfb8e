import { describe, expect, it } from 'vitest';
import { identityFromClaims } from '../../src/trace/index.js';
import { fixture, trace } from './helpers.js';

const ADMIN = 'arn:aws:iam::123456789012:role/logs-prod-dashboards-admin';

// A pre token generation Lambda can set cognito:preferred_role for a user in no group at all.
const lambdaClaims = { 'cognito:username': 'ana', 'cognito:preferred_role': ADMIN, 'cognito:roles': [ADMIN] };

describe('trace with a pre token generation trigger', () => {
  it('takes the cognito:preferred_role the Lambda sets under Token mapping, and notes the trigger', () => {
    const snapshot = fixture('healthy/pre-token-trigger-token.json');
    const result = trace(snapshot, identityFromClaims(snapshot, lambdaClaims, 'claims.json'));
    const step = result.steps.find((s) => s.number === 4)!;
    expect(step.status).toBe('pass');
    expect(step.evidence['role']).toBe(ADMIN);
    expect(step.evidence['preTokenGenerationLambda']).toMatch(/function:dashboards-role-claims$/);
    expect(step.notes.map((n) => n.text).join('\n')).toMatch(/pre token generation Lambda .* choose the role/);
    expect(result.outcome.result).toBe('success');
    expect(result.outcome.line).toMatch(/as role logs-prod-dashboards-admin/);
  });

  it('says the roles the Lambda sets are ignored without a Token mapping', () => {
    const snapshot = fixture('fail/pre-token-trigger-without-token-mapping.json');
    const result = trace(snapshot, identityFromClaims(snapshot, lambdaClaims, 'claims.json'));
    const step = result.steps.find((s) => s.number === 4)!;
    expect(step.notes.find((n) => n.id === 'pre-token-trigger-without-token-mapping')?.text).toMatch(/ignores any cognito:preferred_role/);
    expect(step.evidence['role']).toBe(snapshot.identityPoolRoles!.Roles!['authenticated']);
  });

  it('adds no note when the user pool has no trigger', () => {
    const snapshot = fixture('healthy/token-groups.json');
    const result = trace(snapshot, identityFromClaims(snapshot, lambdaClaims, 'claims.json'));
    expect(result.steps.find((s) => s.number === 4)!.notes.filter((n) => /pre token/.test(n.text))).toEqual([]);
  });
});
