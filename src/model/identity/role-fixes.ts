import { roleNameOf } from '../../util/arn.js';
import type { Fix } from '../../engine/types.js';
import type { PolicyDocument } from '../../policy/index.js';
import { accountIdOf, partitionOf, type DomainPlace } from '../domain.js';
import { regionOfPoolId } from '../pools.js';
import { sh } from '../shell.js';

// Fix commands.

/** `arn:aws:iam::123456789012:role/service-role/X` → `/service-role/`. */
export function rolePathOf(roleArn: string): string {
  const resource = roleArn.split(':').slice(5).join(':');
  const parts = resource.split('/').slice(1, -1);
  return parts.length > 0 ? `/${parts.join('/')}/` : '/';
}

/** Custom attribute names: 1 to 20 characters after the custom: prefix (CustomAttributeNameType). */
const CUSTOM_ATTRIBUTE_NAME = /^custom:([^\s]{1,20})$/u;

/**
 * Adds a custom attribute to the user pool: a mutable String, since Cognito rewrites attributes an
 * identity provider maps at every federated sign-in. Undefined for a name Cognito would refuse.
 * Custom attributes cannot be removed or renamed afterwards.
 */
export function addCustomAttributeCommand(userPoolId: string, attribute: string): string | undefined {
  const name = CUSTOM_ATTRIBUTE_NAME.exec(attribute)?.[1];
  if (!name) return undefined;
  return sh(
    'aws',
    'cognito-idp',
    'add-custom-attributes',
    '--region',
    regionOfPoolId(userPoolId),
    '--user-pool-id',
    userPoolId,
    '--custom-attributes',
    JSON.stringify([{ Name: name, AttributeDataType: 'String', Mutable: true }]),
  );
}

/** Creates a missing role with the given trust policy (its permissions are attached separately). */
export function createRoleCommand(roleArn: string, trust: PolicyDocument): string {
  const path = rolePathOf(roleArn);
  return sh(
    'aws',
    'iam',
    'create-role',
    '--role-name',
    roleNameOf(roleArn),
    ...(path !== '/' ? ['--path', path] : []),
    '--assume-role-policy-document',
    JSON.stringify(trust),
  );
}

/** The ARN of a role cogdoctor suggests creating, in the domain's account and partition. */
export function suggestedRoleArn(snapshot: DomainPlace, name: string, path = '/'): string {
  return `arn:${partitionOf(snapshot)}:iam::${accountIdOf(snapshot)}:role${path}${name}`;
}

/**
 * The account a role lives in when it is not the account that was read: IAM commands for that role
 * must run with that account's credentials. Undefined for a role of the account read.
 */
export function otherAccountOfRole(snapshot: DomainPlace, roleArn: string): string | undefined {
  const account = roleArn.split(':')[4];
  const home = snapshot.accountId ?? snapshot.domain.ARN?.split(':')[4];
  return account && home && account !== home ? account : undefined;
}

/**
 * IAM commands that act on a role. For a role of another account they are no commands to paste
 * here: the credentials that read this account would act on this account (a role of the same name,
 * or NoSuchEntity), so they become steps that say which account's credentials run them.
 */
export function roleCommands(snapshot: DomainPlace, roleArn: string, commands: string[]): { commands: string[]; steps: string[] } {
  const account = otherAccountOfRole(snapshot, roleArn);
  if (!account) return { commands, steps: [] };
  return {
    commands: [],
    steps: commands.map(
      (command) =>
        `${roleNameOf(roleArn)} is in account ${account}, not in ${accountIdOf(snapshot)}: run this with credentials of account ${account} (e.g. --profile <a profile of ${account}>): ${command}`,
    ),
  };
}

/** A fix whose commands all act on the role: for a role of another account they become steps naming that account. */
export function fixForRole(snapshot: DomainPlace, roleArn: string, fix: Fix): Fix {
  const { steps } = roleCommands(snapshot, roleArn, fix.commands ?? []);
  if (steps.length === 0) return fix;
  const { commands: _elsewhere, ...rest } = fix;
  return { ...rest, steps: [...(fix.steps ?? []), ...steps] };
}

/** The IAM console steps that replace a role's trust policy. */
export function trustPolicySteps(roleArn: string, what: string): string[] {
  return [
    `IAM console → Roles → ${roleNameOf(roleArn)} → Trust relationships → Edit trust policy.`,
    `Replace the document with the policy in the command below (${what}), then Update policy.`,
  ];
}

/** "every user" → "no user can …"; otherwise "<who> cannot …". */
export function cannot(who: string, what: string): string {
  return who === 'every user' ? `no user can ${what}` : `${who} cannot ${what}`;
}

export const TRUST_IAC_HINT =
  'If CloudFormation, CDK or Terraform manages this role, change its AssumeRolePolicyDocument (aws_iam_role.assume_role_policy) there, or the next deployment puts the old trust back.';
