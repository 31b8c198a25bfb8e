import * as aws from './aws.js';
import type { Clients } from './clients.js';
import { PAGE_SIZE } from './pages.js';
import type { Keep, Reads, Result } from './reads.js';
import { isCognitoAccessManagedPolicy } from '../model/service-role.js';
import type { ReadError, Role, RolePolicies, Snapshot } from '../snapshot/types.js';

/** A managed policy document deliberately not fetched. */
const NOT_READ = Symbol('not read');

const partitionOfArn = (arn: string) => arn.split(':')[1] ?? 'aws';
const nameOfArn = (arn: string) => arn.slice(arn.lastIndexOf('/') + 1);

/** The IAM reads: roles, users and groups with their permission policies and boundaries. */
export class IamReads {
  constructor(
    private readonly reads: Reads,
    private readonly clients: Clients,
  ) {}

  getRole(arn: string) {
    return this.reads.read('iam:GetRole', arn, () => this.clients.iam(partitionOfArn(arn)).send(new aws.GetRoleCommand({ RoleName: nameOfArn(arn) })));
  }

  async readRoles(snapshot: Snapshot, arns: string[], keep: Keep): Promise<void> {
    const results = await Promise.all(arns.map((arn) => this.getRole(arn)));
    for (const result of results) {
      const role = keep(result)?.Role;
      if (role && !(snapshot.roles ?? []).some((r) => r.Arn === role.Arn)) (snapshot.roles ??= []).push(role as Role);
    }
  }

  /** A role and its permission policies, as `cogdoctor access` reads the principal. */
  async readRole(snapshot: Snapshot, arn: string, keep: Keep): Promise<void> {
    const [, policies] = await Promise.all([this.readRoles(snapshot, [arn], keep), this.rolePolicies(arn, keep)]);
    const found = snapshot.roles?.[0]?.Arn ?? arn;
    if (policies) snapshot.rolePolicies = { [found]: policies };
  }

  /**
   * CognitoOptions.RoleArn: the role and its permission policies, read together. A role that does
   * not exist has no policies to list: those NoSuchEntity answers repeat GetRole's and are dropped.
   */
  async readAccessRole(snapshot: Snapshot, arn: string, keep: Keep): Promise<void> {
    const failed: ReadError[] = [];
    const hold = <T>(result: Result<T>): T | undefined => {
      if (result.ok) return result.value;
      failed.push(result.error);
      return undefined;
    };
    const [, policies] = await Promise.all([this.readRoles(snapshot, [arn], keep), this.rolePolicies(arn, hold, true)]);
    const role = await this.getRole(arn);
    const gone = !role.ok && /NoSuchEntity/i.test(role.error.code);
    for (const error of failed) if (!(gone && /NoSuchEntity/i.test(error.code))) keep({ ok: false, error });
    // A role users also get (role confusion) keeps the full documents its other read records.
    if (policies && !snapshot.rolePolicies?.[arn]) (snapshot.rolePolicies ??= {})[arn] = policies;
  }

  /**
   * The permission policies of the roles users get: they can grant or deny Dashboards access, and
   * they are what every user holds (auth-role-overprivileged), even where FGAC decides access.
   */
  async readRolePolicies(snapshot: Snapshot, arns: string[], keep: Keep): Promise<void> {
    const read = await Promise.all(arns.map(async (arn) => [arn, await this.rolePolicies(arn, keep)] as const));
    for (const [arn, policies] of read) if (policies) (snapshot.rolePolicies ??= {})[arn] = policies;
  }

  /**
   * A role's permission policies. With `knownManaged`, the AWS managed Cognito access policy is
   * recorded without its document: its content is known, and not fetching it keeps the service
   * role's reads off the critical path (its two further round trips).
   */
  private async rolePolicies(arn: string, keep: Keep, knownManaged = false): Promise<RolePolicies | undefined> {
    const partition = partitionOfArn(arn);
    const iam = this.clients.iam(partition);
    const RoleName = nameOfArn(arn);
    const [attached, inline] = await Promise.all([
      this.reads.list(
        'iam:ListAttachedRolePolicies',
        arn,
        () => aws.paginateListAttachedRolePolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { RoleName }),
        (p) => p.AttachedPolicies,
      ),
      this.reads.list(
        'iam:ListRolePolicies',
        arn,
        () => aws.paginateListRolePolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { RoleName }),
        (p) => p.PolicyNames,
      ),
    ]);
    // GetRole is the same memoized read that fills `roles`; it names the permissions boundary.
    const role = await this.getRole(arn);
    // A role that does not exist has no policies: the trust checks report it, not failed reads here.
    if (!role.ok && /NoSuchEntity/.test(role.error.code)) return undefined;
    const attachedList = keep(attached);
    const inlineNames = keep(inline);
    if (!attachedList || !inlineNames) return undefined;
    const boundaryArn = role.ok ? role.value.Role?.PermissionsBoundary?.PermissionsBoundaryArn : undefined;
    const [boundary, documents, inlineDocuments] = await Promise.all([
      boundaryArn ? this.managedPolicyDocument(partition, boundaryArn, keep) : Promise.resolve(undefined),
      Promise.all(
        attachedList.map((p) =>
          knownManaged && isCognitoAccessManagedPolicy(p.PolicyArn) ? Promise.resolve(NOT_READ) : this.managedPolicyDocument(partition, p.PolicyArn!, keep),
        ),
      ),
      Promise.all(
        inlineNames.map(async (PolicyName) =>
          keep(await this.reads.read('iam:GetRolePolicy', `${arn}/${PolicyName}`, () => iam.send(new aws.GetRolePolicyCommand({ RoleName, PolicyName })))),
        ),
      ),
    ]);
    if (documents.includes(undefined) || inlineDocuments.includes(undefined) || (boundaryArn && boundary === undefined)) return undefined;
    return {
      ...(boundaryArn ? { boundary: { PolicyArn: boundaryArn, Document: boundary } } : {}),
      attached: attachedList.map((p, i) => ({
        PolicyArn: p.PolicyArn,
        PolicyName: p.PolicyName,
        ...(documents[i] === NOT_READ ? {} : { Document: documents[i] }),
      })),
      inline: inlineDocuments.map((p) => ({ PolicyName: p!.PolicyName, PolicyDocument: p!.PolicyDocument })),
    };
  }

  /** An IAM user, its attached and inline policies, its boundary and its groups' policies; kept only when all could be read. */
  async readUser(snapshot: Snapshot, arn: string, keep: Keep): Promise<void> {
    const partition = partitionOfArn(arn);
    const iam = this.clients.iam(partition);
    const UserName = nameOfArn(arn);
    const [user, attached, inline, groups] = await Promise.all([
      this.reads.read('iam:GetUser', arn, () => iam.send(new aws.GetUserCommand({ UserName }))),
      this.reads.list(
        'iam:ListAttachedUserPolicies',
        arn,
        () => aws.paginateListAttachedUserPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { UserName }),
        (p) => p.AttachedPolicies,
      ),
      this.reads.list(
        'iam:ListUserPolicies',
        arn,
        () => aws.paginateListUserPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { UserName }),
        (p) => p.PolicyNames,
      ),
      this.reads.list(
        'iam:ListGroupsForUser',
        arn,
        () => aws.paginateListGroupsForUser({ client: iam, pageSize: PAGE_SIZE.iam }, { UserName }),
        (p) => p.Groups,
      ),
    ]);
    const found = keep(user)?.User;
    if (!found) return;
    snapshot.iamUsers = [found];
    const attachedList = keep(attached);
    const inlineNames = keep(inline);
    const groupList = keep(groups);
    if (!attachedList || !inlineNames || !groupList) return;
    const boundaryArn = found.PermissionsBoundary?.PermissionsBoundaryArn;
    const [boundary, documents, inlineDocuments, groupPolicies] = await Promise.all([
      boundaryArn ? this.managedPolicyDocument(partition, boundaryArn, keep) : Promise.resolve(undefined),
      Promise.all(attachedList.map((p) => this.managedPolicyDocument(partition, p.PolicyArn!, keep))),
      Promise.all(
        inlineNames.map(async (PolicyName) =>
          keep(await this.reads.read('iam:GetUserPolicy', `${arn}/${PolicyName}`, () => iam.send(new aws.GetUserPolicyCommand({ UserName, PolicyName })))),
        ),
      ),
      Promise.all(groupList.map((group) => this.groupPolicies(partition, group.GroupName!, group.Arn ?? group.GroupName!, keep))),
    ]);
    if (documents.includes(undefined) || inlineDocuments.includes(undefined) || groupPolicies.includes(undefined) || (boundaryArn && boundary === undefined))
      return;
    snapshot.userPolicies = {
      [found.Arn ?? arn]: {
        ...(boundaryArn ? { boundary: { PolicyArn: boundaryArn, Document: boundary } } : {}),
        attached: attachedList.map((p, i) => ({ PolicyArn: p.PolicyArn, PolicyName: p.PolicyName, Document: documents[i] })),
        inline: inlineDocuments.map((p) => ({ PolicyName: p!.PolicyName, PolicyDocument: p!.PolicyDocument })),
        groups: groupPolicies.map((g) => g!),
      },
    };
  }

  private async groupPolicies(partition: string, GroupName: string, groupArn: string, keep: Keep) {
    const iam = this.clients.iam(partition);
    const [attached, inline] = await Promise.all([
      this.reads.list(
        'iam:ListAttachedGroupPolicies',
        groupArn,
        () => aws.paginateListAttachedGroupPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { GroupName }),
        (p) => p.AttachedPolicies,
      ),
      this.reads.list(
        'iam:ListGroupPolicies',
        groupArn,
        () => aws.paginateListGroupPolicies({ client: iam, pageSize: PAGE_SIZE.iam }, { GroupName }),
        (p) => p.PolicyNames,
      ),
    ]);
    const attachedList = keep(attached);
    const inlineNames = keep(inline);
    if (!attachedList || !inlineNames) return undefined;
    const [documents, inlineDocuments] = await Promise.all([
      Promise.all(attachedList.map((p) => this.managedPolicyDocument(partition, p.PolicyArn!, keep))),
      Promise.all(
        inlineNames.map(async (PolicyName) =>
          keep(
            await this.reads.read('iam:GetGroupPolicy', `${groupArn}/${PolicyName}`, () => iam.send(new aws.GetGroupPolicyCommand({ GroupName, PolicyName }))),
          ),
        ),
      ),
    ]);
    if (documents.includes(undefined) || inlineDocuments.includes(undefined)) return undefined;
    return {
      GroupName,
      Arn: groupArn,
      attached: attachedList.map((p, i) => ({ PolicyArn: p.PolicyArn, PolicyName: p.PolicyName, Document: documents[i] })),
      inline: inlineDocuments.map((p) => ({ PolicyName: p!.PolicyName, PolicyDocument: p!.PolicyDocument })),
    };
  }

  private async managedPolicyDocument(partition: string, policyArn: string, keep: Keep): Promise<unknown> {
    const iam = this.clients.iam(partition);
    const policy = keep(await this.reads.read('iam:GetPolicy', policyArn, () => iam.send(new aws.GetPolicyCommand({ PolicyArn: policyArn }))));
    const VersionId = policy?.Policy?.DefaultVersionId;
    if (!VersionId) return undefined;
    const version = keep(
      await this.reads.read('iam:GetPolicyVersion', `${policyArn}/${VersionId}`, () =>
        iam.send(new aws.GetPolicyVersionCommand({ PolicyArn: policyArn, VersionId })),
      ),
    );
    return version?.PolicyVersion?.Document;
  }
}
