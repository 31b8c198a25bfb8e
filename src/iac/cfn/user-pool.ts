// AWS::Cognito::UserPool with its UserPoolDomain, UserPoolClients, UserPoolGroups and the web ACL associated with it.
import { apiAttributeName } from '../../model/posture.js';
import type { Snapshot, UserPoolClientType } from '../../snapshot/types.js';
import { setAppClients, setUserPoolDomain, type DeclaredProvider } from '../builder.js';
import { isObject, type Json } from '../common.js';
import { declaredProviders } from './identity-pool.js';
import type { Builder } from './template.js';

type CognitoOptions = NonNullable<Snapshot['domain']['CognitoOptions']>;

/**
 * The user pool the domain names, when the template defines it: gives its logical id and the
 * identity pool's providers after deploy (when the template decides them).
 */
export function readUserPool(
  b: Builder,
  snapshot: Snapshot,
  domainId: string,
  name: string,
  cognito: CognitoOptions,
): { poolId: string | undefined; providersAfterDeploy: DeclaredProvider[] | undefined } {
  const t = b.t;
  let providersAfterDeploy: DeclaredProvider[] | undefined;
  const poolId = b.find('AWS::Cognito::UserPool', cognito.UserPoolId);
  if (poolId) {
    const pool = b.fields(poolId, ['UserPoolName', 'Schema', 'UserPoolTags', 'UserPoolAddOns']);
    const poolProps = t.props(poolId);
    const userPool: Json = {
      Id: cognito.UserPoolId,
      Arn: t.attOf(poolId, 'Arn'),
      Name: b.string(poolId, 'UserPoolName', poolProps['UserPoolName']) ?? poolId,
      ...pool,
    };
    const schema = b.field(poolId, 'Schema', poolProps['Schema']);
    if (Array.isArray(schema)) {
      userPool['SchemaAttributes'] = schema.map((a) => (isObject(a) && typeof a['Name'] === 'string' ? { ...a, Name: apiAttributeName(a['Name']) } : a));
    } else if (schema !== undefined) userPool['SchemaAttributes'] = schema;
    const addOns = b.field(poolId, 'UserPoolAddOns', poolProps['UserPoolAddOns']);
    if (addOns !== undefined) userPool['UserPoolAddOns'] = addOns;
    const poolDomainId = t.ofType('AWS::Cognito::UserPoolDomain').find((id) => b.field(id, 'UserPoolId', t.props(id)['UserPoolId']) === cognito.UserPoolId);
    if (poolDomainId) {
      const d = b.fields(poolDomainId);
      if (typeof d['Domain'] === 'string') {
        setUserPoolDomain(snapshot, userPool, {
          userPoolId: String(cognito.UserPoolId),
          accountId: t.accountId,
          prefix: d['Domain'],
          customDomainConfig: d['CustomDomainConfig'],
          managedLoginVersion: d['ManagedLoginVersion'],
        });
      }
    }
    snapshot.userPool = userPool as Snapshot['userPool'];
    // A web ACL reaches the user pool only through an association the template would hold.
    const association = t.ofType('AWS::WAFv2::WebACLAssociation').find((id) => b.field(id, 'ResourceArn', t.props(id)['ResourceArn']) === userPool['Arn']);
    const aclArn = association ? b.string(association, 'WebACLArn', t.props(association)['WebACLArn']) : undefined;
    if (!association) snapshot.userPoolWebAcl = null;
    else if (aclArn) snapshot.userPoolWebAcl = { ARN: aclArn, Name: aclArn.split('/').at(-2) ?? aclArn } as Snapshot['userPoolWebAcl'];

    const clients = t
      .ofType('AWS::Cognito::UserPoolClient')
      .filter((id) => b.field(id, 'UserPoolId', t.props(id)['UserPoolId']) === cognito.UserPoolId)
      .map((id) => {
        const c = b.fields(id, ['GenerateSecret']);
        return {
          ...c,
          UserPoolId: cognito.UserPoolId,
          ClientId: t.refOf(id) as string,
          ClientName: typeof c['ClientName'] === 'string' ? c['ClientName'] : id,
          ...(t.props(id)['GenerateSecret'] === true ? { ClientSecret: '<redacted>' } : {}),
        };
      });
    const identityPoolLogical = b.find('AWS::Cognito::IdentityPool', cognito.IdentityPoolId);
    const providers = setAppClients(b, snapshot, {
      domainName: name,
      domainRegion: t.region,
      userPoolId: String(cognito.UserPoolId),
      clients: clients as UserPoolClientType[],
      declared: identityPoolLogical ? declaredProviders(b, identityPoolLogical) : undefined,
      seed: domainId,
    });
    if (identityPoolLogical && providers) providersAfterDeploy = providers;
    snapshot.userPoolGroups = t
      .ofType('AWS::Cognito::UserPoolGroup')
      .filter((id) => b.field(id, 'UserPoolId', t.props(id)['UserPoolId']) === cognito.UserPoolId)
      .map((id) => ({ ...b.fields(id), GroupName: t.refOf(id) as string, UserPoolId: cognito.UserPoolId }));
  } else if (cognito.UserPoolId !== undefined) {
    b.notInCode(`${domainId}.CognitoOptions.UserPoolId`, `user pool ${String(cognito.UserPoolId)}`, 'cognito-idp:DescribeUserPool', String(cognito.UserPoolId));
  }
  return { poolId, providersAfterDeploy };
}
