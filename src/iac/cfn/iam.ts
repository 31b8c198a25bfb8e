// AWS::IAM::Role with the policies the template gives it (ManagedPolicy, Policy, RolePolicy, its own Policies).
import type { RolePolicies, Snapshot } from '../../snapshot/types.js';
import { attachedPolicyOf, roleOf } from '../builder.js';
import { isObject, KNOWN_MANAGED } from '../common.js';
import { firstUnresolved } from '../resolve.js';
import type { Builder } from './template.js';

/** The roles the template defines, with their policies (complete only when every document is in the template). */
export function readRoles(b: Builder): { roles: NonNullable<Snapshot['roles']>; rolePolicies: Record<string, RolePolicies> } {
  const t = b.t;
  const roles: NonNullable<Snapshot['roles']> = [];
  const rolePolicies: Record<string, RolePolicies> = {};
  const attachedBy = new Map<string, NonNullable<RolePolicies['attached']>>();
  const inlineBy = new Map<string, { PolicyName: string; PolicyDocument: unknown }[]>();
  for (const id of t.ofType('AWS::IAM::ManagedPolicy')) {
    const p = t.props(id);
    const document = b.field(id, 'PolicyDocument', p['PolicyDocument']);
    const arn = t.refOf(id);
    const names = b.field(id, 'Roles', p['Roles']);
    if (typeof arn !== 'string' || document === undefined || !Array.isArray(names)) continue;
    for (const role of names) attachedBy.set(String(role), [...(attachedBy.get(String(role)) ?? []), attachedPolicyOf(arn, document)]);
  }
  for (const id of t.ofType('AWS::IAM::Policy', 'AWS::IAM::RolePolicy')) {
    const p = t.props(id);
    const document = b.field(id, 'PolicyDocument', p['PolicyDocument']);
    const policyName = b.string(id, 'PolicyName', p['PolicyName']) ?? id;
    const names = t.type(id) === 'AWS::IAM::RolePolicy' ? [b.field(id, 'RoleName', p['RoleName'])] : b.field(id, 'Roles', p['Roles']);
    if (document === undefined || !Array.isArray(names)) continue;
    for (const role of names) inlineBy.set(String(role), [...(inlineBy.get(String(role)) ?? []), { PolicyName: policyName, PolicyDocument: document }]);
  }
  for (const id of t.ofType('AWS::IAM::Role')) {
    const p = t.props(id);
    const roleName = t.refOf(id);
    const arn = t.attOf(id, 'Arn');
    if (typeof roleName !== 'string' || typeof arn !== 'string') {
      b.unresolvable(`${id}.RoleName`, firstUnresolved(roleName)?.reason ?? 'the role name is only known at deploy');
      continue;
    }
    const trust = b.field(id, 'AssumeRolePolicyDocument', p['AssumeRolePolicyDocument']);
    // A role whose trust policy is not decided is left out: the checks reading it answer unknown.
    if (trust === undefined) {
      b.undecided('iam:GetRole', arn, `${id}.AssumeRolePolicyDocument`);
      continue;
    }
    const duration = b.field(id, 'MaxSessionDuration', p['MaxSessionDuration']);
    const boundary = b.field(id, 'PermissionsBoundary', p['PermissionsBoundary']);
    roles.push(
      roleOf({
        Path: typeof p['Path'] === 'string' ? p['Path'] : '/',
        RoleName: roleName,
        RoleId: t.attOf(id, 'RoleId'),
        Arn: arn,
        AssumeRolePolicyDocument: trust,
        MaxSessionDuration: duration !== undefined ? Number(duration) : undefined,
        boundary: typeof boundary === 'string' ? boundary : undefined,
      }),
    );

    // Policies: complete only when every document is in the template (or is the known Cognito access policy).
    const inlineRaw = b.field(id, 'Policies', p['Policies']);
    const managed = b.field(id, 'ManagedPolicyArns', p['ManagedPolicyArns']);
    let complete =
      (inlineRaw !== undefined || p['Policies'] === undefined) && (managed !== undefined || p['ManagedPolicyArns'] === undefined) && boundary === undefined;
    const attached: NonNullable<RolePolicies['attached']> = [...(attachedBy.get(roleName) ?? [])];
    for (const policyArn of Array.isArray(managed) ? managed.map(String) : []) {
      const local = t.ofType('AWS::IAM::ManagedPolicy').find((m) => t.refOf(m) === policyArn);
      if (local) {
        const document = b.field(local, 'PolicyDocument', t.props(local)['PolicyDocument']);
        if (document === undefined) complete = false;
        else attached.push(attachedPolicyOf(policyArn, document));
      } else if (KNOWN_MANAGED.test(policyArn)) attached.push(attachedPolicyOf(policyArn));
      else {
        complete = false;
        b.unresolvable(`${id}.ManagedPolicyArns`, `the document of ${policyArn} is not in the template`, 'NotInTemplate');
      }
    }
    if (complete) {
      const inline = (Array.isArray(inlineRaw) ? inlineRaw : [])
        .filter(isObject)
        .map((x) => ({ PolicyName: String(x['PolicyName'] ?? ''), PolicyDocument: x['PolicyDocument'] }));
      rolePolicies[arn] = { attached, inline: [...inline, ...(inlineBy.get(roleName) ?? [])] };
    }
  }
  return { roles, rolePolicies };
}
