// aws_iam_role with the policies the plan gives it (aws_iam_policy, role policy attachments, aws_iam_role_policy, its own inline_policy blocks).
import type { RolePolicies, Snapshot } from '../../snapshot/types.js';
import { attachedPolicyOf, roleOf } from '../builder.js';
import { isObject, KNOWN_MANAGED } from '../common.js';
import type { Builder, PlanResource } from './plan.js';

/** IAM roles of the plan, with the policies the plan gives them (complete only when every document is in it). */
export function readRoles(b: Builder): { roles: NonNullable<Snapshot['roles']>; rolePolicies: Record<string, RolePolicies> } {
  const p = b.p;
  const roles: NonNullable<Snapshot['roles']> = [];
  const rolePolicies: Record<string, RolePolicies> = {};
  const documentOf = (policyArn: string): { known: boolean; document?: unknown } => {
    const local = p.ofType('aws_iam_policy').find((r) => p.attribute(r, 'arn') === policyArn);
    if (local) {
      const document = b.string(local, 'policy');
      return document === undefined ? { known: false } : { known: true, document };
    }
    return { known: KNOWN_MANAGED.test(policyArn) };
  };
  for (const r of p.ofType('aws_iam_role')) {
    const name = b.id(r, 'name');
    const arn = b.id(r, 'arn');
    const trust = b.string(r, 'assume_role_policy');
    // A role whose name or trust policy is not decided is left out: the checks reading it answer unknown.
    if (!name || !arn) continue;
    if (trust === undefined) {
      b.undecided('iam:GetRole', arn, `${r.address}.assume_role_policy`);
      continue;
    }
    const path = b.string(r, 'path') ?? '/';
    const duration = p.value(r, ['max_session_duration']);
    const boundary = b.string(r, 'permissions_boundary');
    roles.push(
      roleOf({
        Path: path,
        RoleName: name,
        RoleId: String(p.attribute(r, 'unique_id')),
        Arn: arn,
        AssumeRolePolicyDocument: trust,
        MaxSessionDuration: typeof duration === 'number' ? duration : undefined,
        boundary,
      }),
    );

    const isThisRole = (x: PlanResource) => {
      const role = p.value(x, ['role']);
      return role === name || role === arn;
    };
    const linked = b.field(r, 'managed_policy_arns');
    const managed = linked === undefined || Array.isArray(linked) ? linked : b.notA('list', r, ['managed_policy_arns']);
    const inlineBlocks = b.field(r, 'inline_policy');
    let complete =
      boundary === undefined && (managed !== undefined || linked === undefined) && (inlineBlocks !== undefined || p.value(r, ['inline_policy']) === undefined);
    const policyArns = new Set(Array.isArray(managed) ? managed.map(String) : []);
    for (const a of p.ofType('aws_iam_role_policy_attachment').filter(isThisRole)) {
      const policyArn = b.string(a, 'policy_arn');
      if (policyArn) policyArns.add(policyArn);
      else complete = false;
    }
    const attached: NonNullable<RolePolicies['attached']> = [];
    for (const policyArn of [...policyArns].sort()) {
      const { known, document } = documentOf(policyArn);
      if (!known) {
        complete = false;
        b.unresolvable(`${r.address}.managed_policy_arns`, `the document of ${policyArn} is not in the plan`, 'NotInPlan');
      }
      attached.push(attachedPolicyOf(policyArn, document));
    }
    const inline: NonNullable<RolePolicies['inline']> = (Array.isArray(inlineBlocks) ? inlineBlocks : [])
      .filter(isObject)
      .filter((x) => x['policy'])
      .map((x) => ({ PolicyName: String(x['name'] ?? ''), PolicyDocument: x['policy'] }));
    for (const x of p.ofType('aws_iam_role_policy').filter(isThisRole)) {
      const document = b.string(x, 'policy');
      if (document === undefined) complete = false;
      else inline.push({ PolicyName: b.string(x, 'name') ?? x.name, PolicyDocument: document });
    }
    if (complete) rolePolicies[arn] = { attached, inline };
  }
  return { roles, rolePolicies };
}
