import type { ErrorObject } from 'ajv';
// Compiled ahead of time from schema/snapshot.schema.json (scripts/compile-schemas.mjs): no schema compilation at start-up.
import { validate as validator } from './generated/validate-snapshot.js';
import { parsePolicy, PolicyParseError } from '../policy/index.js';

export interface ShapeProblem {
  path: string;
  message: string;
}

/** `/roles/1/Arn` → `$.roles[1].Arn`: the notation users know from jq and JSONPath. */
export function jsonPath(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  return parts.reduce(
    (path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `${path}.${part}` : `${path}[${JSON.stringify(part)}]`),
    '$',
  );
}

function describe(error: ErrorObject): ShapeProblem {
  const missing = error.keyword === 'required' ? String((error.params as { missingProperty: string }).missingProperty) : undefined;
  const message =
    error.keyword === 'required'
      ? 'is required'
      : error.keyword === 'const'
        ? `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`
        : error.keyword === 'enum'
          ? `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`
          : (error.message ?? 'is invalid');
  return { path: jsonPath(error.instancePath, missing), message };
}

function policyProblem(path: string, raw: unknown): ShapeProblem | undefined {
  if (raw === undefined || raw === null || raw === '') return undefined;
  try {
    parsePolicy(raw);
    return undefined;
  } catch (error) {
    if (!(error instanceof PolicyParseError)) throw error;
    const inner = error.path && error.path !== '$' ? `.${error.path.replace(/^\$\.?/, '')}` : '';
    return { path: `${path}${inner}`, message: `not a valid policy document: ${error.message}` };
  }
}

/** The first problem in a snapshot document, or undefined when it is usable. */
export function validateSnapshotShape(document: unknown): ShapeProblem | undefined {
  if (!validator(document)) return describe(validator.errors![0]!);
  const snapshot = document as { domain: { AccessPolicies?: unknown }; roles?: Array<{ AssumeRolePolicyDocument?: unknown }> | null };
  const accessPolicy = policyProblem('$.domain.AccessPolicies', snapshot.domain.AccessPolicies);
  if (accessPolicy) return accessPolicy;
  for (const [index, role] of (snapshot.roles ?? []).entries()) {
    const trust = policyProblem(`$.roles[${index}].AssumeRolePolicyDocument`, role.AssumeRolePolicyDocument);
    if (trust) return trust;
  }
  return undefined;
}
