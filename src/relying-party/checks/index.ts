import type { RelyingPartyCheck } from '../context.js';
import clientSecret from './client-secret.js';
import hostedUiDomain from './hosted-ui-domain.js';
import identityProvider from './identity-provider.js';
import oauthFlow from './oauth-flow.js';
import oauthScopes from './oauth-scopes.js';
import urls from './urls.js';
import { compareText } from '../../util/order.js';

/** The checks of `cogdoctor client`, in report order. */
export const RELYING_PARTY_CHECKS: RelyingPartyCheck[] = [hostedUiDomain, urls, oauthFlow, oauthScopes, identityProvider, clientSecret].sort((a, b) => compareText(a.id, b.id));
