// The failure ids `cogdoctor access` reports: why an IAM principal (a Lambda's role, a pipeline, a
// CI user) or an unsigned request gets 403 from the domain. They sit beside the login catalog.
import type { FailureMode } from '../engine/types.js';

export interface AccessMode extends FailureMode {
  /** How `cogdoctor access` tells this cause from the others. */
  detection: string;
}

const AC = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/ac.html';
const EVALUATION = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html';
const SIGNING = 'https://docs.aws.amazon.com/opensearch-service/latest/developerguide/request-signing.html';
const DENIED = '{"Message":"User: <principal> is not authorized to perform: es:ESHttpGet"}';

export const ACCESS_MODES: AccessMode[] = [
  {
    id: 'principal-account-delegation-without-identity-policy',
    severity: 'error',
    title: 'The access policy trusts the account, but the principal has no identity policy for es:ESHttp*',
    symptom: DENIED,
    cause:
      'A statement with Principal {"AWS": "arn:aws:iam::<account>:root"} (or the bare account id) does not grant anything by itself: it delegates to IAM, so the role or user also needs an identity policy that allows the es:ESHttp* action on the domain. None of its attached, inline (or group) policies does.',
    fix: 'Attach an identity policy to the role or user that allows es:ESHttp* on <domain ARN>/*, or name the principal in the access policy.',
    docs: [AC, EVALUATION],
    detection:
      "The request (the role session or the user, the action, <domain ARN><path>) is evaluated against the access policy and the principal's own policies as IAM does for same-account requests: no Allow in its identity policies, and the only access-policy Allow that matches is the account principal.",
  },
  {
    id: 'principal-statement-too-narrow',
    severity: 'error',
    title: 'The access policy names the principal, but not for this request',
    symptom: DENIED,
    cause:
      'A statement names the role or user, but its Resource is the bare domain ARN (a resource policy covers only the subresources: the trailing /* matters), or a path that misses the one requested, or its Action lacks the verb of the request.',
    fix: 'Give the statement the Resource <domain ARN>/* and the es:ESHttp* actions the principal sends, keeping every other statement of the access policy.',
    docs: [AC],
    detection: 'An Allow statement of the access policy matches the principal once its Action and Resource are ignored, but not the request as sent.',
  },
  {
    id: 'principal-explicit-deny',
    severity: 'error',
    title: 'A Deny blocks the principal',
    symptom: '{"Message":"User: <principal> is not authorized to perform: es:ESHttpGet with an explicit deny"}',
    cause:
      "A Deny statement in the access policy, in the principal's own policies or in its permissions boundary matches the request. An explicit Deny wins over every Allow.",
    fix: 'Narrow the Deny so it no longer covers the request, or remove it; the access policy is replaced whole, so re-apply all of it.',
    docs: [AC, EVALUATION],
    detection: 'A Deny statement of any policy that applies to the request matches it (action, resource, conditions).',
  },
  {
    id: 'principal-not-in-access-policy',
    severity: 'error',
    title: 'The principal is named nowhere',
    symptom: DENIED,
    cause:
      'No statement of the access policy names the role or user (or its account), and none of its own policies allows the request. A principal of another account needs the access policy to name it: its identity policy alone is not enough.',
    fix: 'Add a statement for the principal (es:ESHttp* on <domain ARN>/*) to the whole access policy, or, in the same account, attach an identity policy with that action and resource.',
    docs: [AC, EVALUATION],
    detection:
      "No Allow matches the request in the access policy or in the principal's own policies, and no access-policy statement names the principal at all.",
  },
  {
    id: 'unsigned-request-denied',
    severity: 'error',
    title: 'The request is not SigV4-signed, so it arrives as anonymous',
    symptom: '{"Message":"User: anonymous is not authorized to perform: es:ESHttpGet"}',
    cause:
      'A request without a SigV4 signature carries no IAM identity: only an access-policy Allow for Principal "*" lets it through, and with fine-grained access control on, FGAC decides next and refuses it unless anonymous authentication is on (AdvancedSecurityOptions.AnonymousAuthEnabled). The client (a Lambda with a plain HTTP client, curl, a Python script) sends its requests unsigned.',
    fix: "Sign the requests with the caller's IAM credentials (service name es): @opensearch-project/opensearch with AwsSigv4Signer in Node, opensearch-py with AWSV4SignerAuth (or requests-aws4auth) in Python, curl --aws-sigv4.",
    docs: [SIGNING, AC],
    detection:
      'With --principal anonymous (or --unsigned), the request is evaluated as an anonymous caller: no Allow for "*" matches it, or one does but fine-grained access control is on with anonymous authentication off, so FGAC refuses it (the result names FGAC in deniedBy).',
  },
];
