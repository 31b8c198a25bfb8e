// `cogdoctor check --cfn`: a CloudFormation template (JSON, YAML with short-form tags, `cdk synth`
// output) turned into one snapshot per OpenSearch Service domain, before anything is deployed.
// Ids AWS would assign are generated deterministically from logical ids; anything the template
// alone does not decide is left out and recorded in `errors`, so the checks needing it say unknown.
import { finishSnapshot, placementOf, startSnapshot } from './builder.js';
import { arnOf, type IacIndex, type Json, type Placement } from './common.js';
import { readDomain, readMasterUser } from './cfn/domain.js';
import { readRoles } from './cfn/iam.js';
import { readIdentityPool } from './cfn/identity-pool.js';
import { Builder, Template, type CfnOptions } from './cfn/template.js';
import { readUserPool } from './cfn/user-pool.js';
import { parseTemplate, TemplateError } from './parse.js';
import type { Snapshot } from '../snapshot/types.js';

export { TemplateError };
export { environmentOf, type CfnOptions } from './cfn/template.js';

/** A template without a domain: an error for one template, a stack to pass over in a cloud assembly. */
export class NoDomainError extends TemplateError {
  override name = 'NoDomainError';
}

const DOMAIN_TYPES = new Set(['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain']);

export interface CfnSnapshot {
  /** Logical id of the domain. */
  logicalId: string;
  snapshot: Snapshot;
  /** Notes worth telling the user (stderr), e.g. a template client taken as the domain's app client. */
  notes: string[];
  placement: Placement;
}

export interface CfnResult extends IacIndex {
  snapshots: CfnSnapshot[];
}

/** KEY=VALUE pairs of --parameters. */
export function parseParameters(pairs: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new TemplateError(`--parameters takes KEY=VALUE, not ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/** One domain's snapshot: each resource type read by its own reader, through the shared builder. */
function buildSnapshot(t: Template, domainId: string, file: string): CfnSnapshot {
  const b = new Builder(t, file);
  const read = readDomain(b, domainId);
  const snapshot: Snapshot = startSnapshot(t.region, t.accountId, read.domain);
  readMasterUser(b, snapshot, domainId, read);
  const cognito = read.domain.CognitoOptions;
  let roleAttachment: string | undefined;
  if (cognito?.Enabled === true) {
    const user = readUserPool(b, snapshot, domainId, read.name, cognito);
    roleAttachment = readIdentityPool(b, snapshot, domainId, cognito, user);
  }
  finishSnapshot(b, snapshot, {
    ...readRoles(b),
    undecidedAccounts: t.undecidedAccounts,
    accessPolicyAt: `${read.customPolicy?.logicalId ?? domainId}.AccessPolicies`,
    accountParameter: 'pass --parameters AWS::AccountId=…',
  });
  return { logicalId: domainId, snapshot, notes: b.notes, placement: placementOf(read.customPolicy?.logicalId, roleAttachment) };
}

/** Every string a finding's resource may be built from → the logical id that defines it. */
function indexOf(t: Template): Map<string, string> {
  const index = new Map<string, string>();
  const add = (value: unknown, id: string) => {
    if (typeof value === 'string' && value.length > 0 && !index.has(value)) index.set(value, id);
  };
  for (const id of Object.keys(t.resources).sort()) {
    const type = t.type(id);
    const attributes =
      type === 'AWS::IAM::Role' ? ['Arn'] : type === 'AWS::Cognito::UserPool' ? ['Arn', 'ProviderName'] : DOMAIN_TYPES.has(type) ? ['Arn'] : [];
    for (const attribute of attributes) add(t.attOf(id, attribute), id);
    const ref = t.refOf(id);
    add(ref, id);
    if (type === 'AWS::Cognito::IdentityPool' && typeof ref === 'string') add(arnOf(t, 'cognito-identity', t.region, `identitypool/${ref}`), id);
  }
  return index;
}

/** Reads a template and builds one snapshot per OpenSearch Service domain with Cognito on (every domain when none has it on). */
export function snapshotsFromTemplate(text: string, options: CfnOptions): CfnResult {
  const { template, lines } = parseTemplate(text);
  const t = new Template(template, options);
  const domains = t.ofType(...DOMAIN_TYPES);
  if (domains.length === 0) throw new NoDomainError(`${options.file}: no AWS::OpenSearchService::Domain or AWS::Elasticsearch::Domain in the template`);
  const withCognito = domains.filter((id) => {
    const enabled = t.resolver.resolve((t.props(id)['CognitoOptions'] as Json | undefined)?.['Enabled']);
    return enabled === true || enabled === 'true';
  });
  const snapshots = (withCognito.length > 0 ? withCognito : domains).map((id) => buildSnapshot(t, id, options.file));
  return {
    snapshots,
    index: indexOf(t),
    lines,
    file: options.file,
    types: new Map(Object.keys(t.resources).map((id) => [id, t.type(id)])),
    placements: new Map(snapshots.map((s) => [s.logicalId, s.placement])),
  };
}
