import { regionOfPoolId } from '../../src/model/pools.js';
import { sh } from '../../src/model/shell.js';
import { defineClientCheck } from '../../src/engine/define.js';
import type { ClientRef } from '../../src/engine/client-context.js';

const DOCS = [
  'https://docs.aws.amazon.com/cognito/latest/developerguide/user-pool-settings-client-apps.html',
  'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/listener-authenticate-users.html',
];

/**
 * A secret cannot be added to or removed from an existing app client: a new client with this one's
 * settings, by a describe → jq → create round trip.
 */
function recreate({ userPoolId, clientId }: ClientRef, secret: boolean): string[] {
  const region = regionOfPoolId(userPoolId);
  return [
    `${sh('aws', 'cognito-idp', 'describe-user-pool-client', '--region', region, '--user-pool-id', userPoolId, '--client-id', clientId, '--query', 'UserPoolClient')} > client.json`,
    `${sh('jq', '--argjson', 'secret', String(secret), `.ClientName = (.ClientName + (if $secret then "-confidential" else "-public" end)) | .GenerateSecret = $secret | del(.ClientId, .ClientSecret, .CreationDate, .LastModifiedDate)`, 'client.json')} > new-client.json`,
    sh('aws', 'cognito-idp', 'create-user-pool-client', '--region', region, '--cli-input-json', 'file://new-client.json'),
  ];
}

/** The app client, whether the relying party is confidential and the flow it uses. */
interface SecretProblem extends ClientRef {
  flow: string;
}

export default defineClientCheck({
  id: 'client-secret',
  title: 'The app client has a secret when the relying party is confidential, and none when it runs in the browser',
  description:
    'A server-side relying party (--app server: an Application Load Balancer, Kong with client_secret_post or client_secret_basic, a backend) and every client_credentials client authenticate to the token endpoint with the client secret, so ClientSecret must exist. A browser or mobile app (--app browser) cannot keep a secret, so the client must have none. A snapshot keeps the key as "<redacted>", so its presence is still known.',
  reads: ['userPoolClients'],
  modes: [
    {
      id: 'client-secret-missing',
      severity: 'error',
      title: 'A confidential relying party on an app client without a secret',
      symptom:
        'The token endpoint answers {"error":"invalid_client"}; an ALB authenticate-cognito rule cannot be created for the client ("client secret is required").',
      cause:
        'The app client was created without a secret; the relying party authenticates to the token endpoint with client_secret_basic or client_secret_post, which needs one (an ALB and client_credentials always do).',
      fix: 'A secret cannot be added to an existing app client: create a confidential client (GenerateSecret true) with the same settings and configure the relying party with its id and secret.',
      docs: DOCS,
    },
    {
      id: 'client-secret-on-public-client',
      severity: 'error',
      title: 'A browser or mobile app on an app client with a secret',
      symptom: 'Unable to verify secret hash for client <id>. / The token endpoint answers {"error":"invalid_client"}.',
      cause:
        'The app client has a secret, so every token request must carry it; code in a browser or on a device cannot keep it secret, and libraries for public clients (PKCE) do not send it.',
      fix: 'Create a public client (GenerateSecret false) with the same settings for the browser app, and keep the secret client for server-side use only.',
      docs: DOCS,
    },
  ],
  messages: {
    'client-secret-missing': {
      message: (d: SecretProblem) =>
        `The app client ${d.clientName} has no client secret, but a ${d.flow === 'client_credentials' ? 'client_credentials' : 'server-side'} relying party authenticates to the token endpoint with one.`,
      fix: (d: SecretProblem) => ({
        summary: `Create a confidential copy of ${d.clientName} (with a secret) and configure the relying party with its client id and secret; then delete the old client once nothing uses it.`,
        steps: [
          `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → Create app client → Traditional web application (generates a secret).`,
        ],
        commands: recreate(d, true),
      }),
    },
    'client-secret-on-public-client': {
      message: (d: SecretProblem) =>
        `The app client ${d.clientName} has a client secret, which a browser or mobile app cannot keep: token requests without it fail, and shipping it exposes it.`,
      fix: (d: SecretProblem) => ({
        summary: `Create a public copy of ${d.clientName} (no secret) for the browser app; keep ${d.clientName} for server-side relying parties only.`,
        steps: [
          `Amazon Cognito console → User pools → ${d.userPoolId} → App integration → App clients → Create app client → Single-page application (no secret).`,
        ],
        commands: recreate(d, false),
      }),
    },
  },
  run(ctx) {
    const client = ctx.client();
    const hasSecret = typeof client.ClientSecret === 'string' && client.ClientSecret.length > 0;
    const { party } = ctx;
    const evidence = { clientId: ctx.reads.clientId, app: party.app, flow: party.flow, ClientSecret: hasSecret ? 'present' : 'absent' };
    const data = { ...ctx.ref, flow: party.flow };
    if (party.app === 'server' && !hasSecret) return [{ mode: 'client-secret-missing', resource: ctx.resource, data, evidence }];
    if (party.app === 'browser' && hasSecret) return [{ mode: 'client-secret-on-public-client', resource: ctx.resource, data, evidence }];
    return [];
  },
});
