// aws_cognito_user_pool with its aws_cognito_user_pool_domain, aws_cognito_user_pool_client and aws_cognito_user_group resources.
import { apiAttributeName } from '../../model/posture.js';
import type { Snapshot, UserPoolClientType } from '../../snapshot/types.js';
import { setAppClients, setUserPoolDomain, type DeclaredProvider } from '../builder.js';
import { isObject, type Json } from '../common.js';
import { declaredProviders } from './identity-pool.js';
import type { Builder, PlanResource } from './plan.js';

const LAMBDA_TRIGGERS: Record<string, string> = {
  create_auth_challenge: 'CreateAuthChallenge',
  custom_message: 'CustomMessage',
  define_auth_challenge: 'DefineAuthChallenge',
  kms_key_id: 'KMSKeyID',
  post_authentication: 'PostAuthentication',
  post_confirmation: 'PostConfirmation',
  pre_authentication: 'PreAuthentication',
  pre_sign_up: 'PreSignUp',
  pre_token_generation: 'PreTokenGeneration',
  user_migration: 'UserMigration',
  verify_auth_challenge_response: 'VerifyAuthChallengeResponse',
};

const CLIENT_FIELDS: Record<string, string> = {
  callback_urls: 'CallbackURLs',
  logout_urls: 'LogoutURLs',
  default_redirect_uri: 'DefaultRedirectURI',
  allowed_oauth_flows: 'AllowedOAuthFlows',
  allowed_oauth_scopes: 'AllowedOAuthScopes',
  allowed_oauth_flows_user_pool_client: 'AllowedOAuthFlowsUserPoolClient',
  supported_identity_providers: 'SupportedIdentityProviders',
  explicit_auth_flows: 'ExplicitAuthFlows',
  read_attributes: 'ReadAttributes',
  write_attributes: 'WriteAttributes',
  refresh_token_validity: 'RefreshTokenValidity',
  id_token_validity: 'IdTokenValidity',
  access_token_validity: 'AccessTokenValidity',
  prevent_user_existence_errors: 'PreventUserExistenceErrors',
  enable_token_revocation: 'EnableTokenRevocation',
  enable_propagate_additional_user_context_data: 'EnablePropagateAdditionalUserContextData',
  auth_session_validity: 'AuthSessionValidity',
};

/**
 * The user pool the domain names, when the plan manages it: gives that resource and the identity
 * pool's providers after deploy (when the plan decides them).
 */
export function readUserPool(
  b: Builder,
  snapshot: Snapshot,
  d: PlanResource,
  domain: { name: string; arn: string | undefined },
  pools: { userPoolId: string | undefined; identityPoolId: string | undefined },
): { pool: PlanResource | undefined; providersAfterDeploy: DeclaredProvider[] | undefined } {
  const p = b.p;
  const { name, arn } = domain;
  const { userPoolId, identityPoolId } = pools;
  let providersAfterDeploy: DeclaredProvider[] | undefined;
  const pool = userPoolId ? p.ofType('aws_cognito_user_pool').find((r) => p.attribute(r, 'id') === userPoolId) : undefined;
  if (pool && userPoolId) {
    const userPool: Json = { Id: userPoolId, Name: b.string(pool, 'name') ?? pool.name };
    const poolArn = b.id(pool, 'arn');
    if (poolArn) userPool['Arn'] = poolArn;
    Object.assign(
      userPool,
      b.shape(pool, [], {
        mfa_configuration: 'MfaConfiguration',
        deletion_protection: 'DeletionProtection',
        auto_verified_attributes: 'AutoVerifiedAttributes',
        username_attributes: 'UsernameAttributes',
        alias_attributes: 'AliasAttributes',
        user_pool_tier: 'UserPoolTier',
      }),
    );
    const admin = b.shape(pool, ['admin_create_user_config', 0], { allow_admin_create_user_only: 'AllowAdminCreateUserOnly' });
    if (admin) userPool['AdminCreateUserConfig'] = admin;
    const password = b.shape(pool, ['password_policy', 0], {
      minimum_length: 'MinimumLength',
      require_lowercase: 'RequireLowercase',
      require_numbers: 'RequireNumbers',
      require_symbols: 'RequireSymbols',
      require_uppercase: 'RequireUppercase',
      temporary_password_validity_days: 'TemporaryPasswordValidityDays',
      password_history_size: 'PasswordHistorySize',
    });
    if (password) userPool['Policies'] = { PasswordPolicy: password };
    const lambda = b.shape(pool, ['lambda_config', 0], LAMBDA_TRIGGERS);
    if (lambda) {
      const tokenConfig = b.shape(pool, ['lambda_config', 0, 'pre_token_generation_config', 0], { lambda_arn: 'LambdaArn', lambda_version: 'LambdaVersion' });
      userPool['LambdaConfig'] = { ...lambda, ...(tokenConfig ? { PreTokenGenerationConfig: tokenConfig } : {}) };
    }
    const updates = b.shape(pool, ['user_attribute_update_settings', 0], {
      attributes_require_verification_before_update: 'AttributesRequireVerificationBeforeUpdate',
    });
    if (updates) userPool['UserAttributeUpdateSettings'] = updates;
    const addOns = b.shape(pool, ['user_pool_add_ons', 0], { advanced_security_mode: 'AdvancedSecurityMode' });
    if (addOns) userPool['UserPoolAddOns'] = addOns;
    const schema = b.field(pool, 'schema');
    if (Array.isArray(schema) && schema.length > 0) {
      userPool['SchemaAttributes'] = schema.filter(isObject).map((a) => ({
        Name: apiAttributeName(String(a['name'])),
        AttributeDataType: a['attribute_data_type'],
        ...(typeof a['mutable'] === 'boolean' ? { Mutable: a['mutable'] } : {}),
        ...(typeof a['required'] === 'boolean' ? { Required: a['required'] } : {}),
        ...(typeof a['developer_only_attribute'] === 'boolean' ? { DeveloperOnlyAttribute: a['developer_only_attribute'] } : {}),
      }));
    }
    const poolDomain = b.where('aws_cognito_user_pool_domain', 'user_pool_id', userPoolId)[0];
    const prefix = poolDomain ? b.string(poolDomain, 'domain') : undefined;
    if (poolDomain && prefix) {
      const certificate = b.string(poolDomain, 'certificate_arn');
      setUserPoolDomain(snapshot, userPool, {
        userPoolId,
        accountId: p.accountId,
        prefix,
        customDomainConfig: certificate ? { CertificateArn: certificate } : undefined,
        managedLoginVersion: p.value(poolDomain, ['managed_login_version']),
      });
    }
    snapshot.userPool = userPool as Snapshot['userPool'];

    const clients = b.where('aws_cognito_user_pool_client', 'user_pool_id', userPoolId).map((r) => ({
      ...b.shape(r, [], CLIENT_FIELDS),
      ...(() => {
        const units = b.shape(r, ['token_validity_units', 0], { access_token: 'AccessToken', id_token: 'IdToken', refresh_token: 'RefreshToken' });
        return units ? { TokenValidityUnits: units } : {};
      })(),
      UserPoolId: userPoolId,
      ClientId: String(p.attribute(r, 'id')),
      ClientName: b.string(r, 'name') ?? r.name,
      ...(p.value(r, ['generate_secret']) === true ? { ClientSecret: '<redacted>' } : {}),
    }));
    const identity = identityPoolId ? p.ofType('aws_cognito_identity_pool').find((r) => p.attribute(r, 'id') === identityPoolId) : undefined;
    const declared = identity ? declaredProviders(p, b, identity) : undefined;
    const providers = setAppClients(b, snapshot, {
      domainName: name,
      domainRegion: arn?.split(':')[3] || p.region,
      userPoolId,
      clients: clients as UserPoolClientType[],
      declared: declared?.after,
      removed: declared?.removed(new Set(clients.map((c) => c.ClientId))),
      seed: d.address,
    });
    if (identity && providers) providersAfterDeploy = providers;
    snapshot.userPoolGroups = b.where('aws_cognito_user_group', 'user_pool_id', userPoolId).map((r) => ({
      ...b.shape(r, [], { role_arn: 'RoleArn', precedence: 'Precedence', description: 'Description' }),
      GroupName: b.string(r, 'name') ?? r.name,
      UserPoolId: userPoolId,
    }));
  } else if (userPoolId) {
    b.notInCode(`${d.address}.cognito_options.user_pool_id`, `user pool ${userPoolId}`, 'cognito-idp:DescribeUserPool', userPoolId);
  }
  return { pool, providersAfterDeploy };
}
